import { BENCH_DOMAIN } from './node-under-test.js';
import { runSipp, type SippServer } from './sipp.js';

/** Registers the SIPp callee `uas` as `service` at the proxy at `target` (host:port); throws, naming `proxy`, when it is not accepted. */
export async function registerCallee(target: string, uas: SippServer, service: string, proxy: string): Promise<void> {
  const registered = await runSipp({
    scenario: 'register-contact.xml',
    target,
    rate: 1,
    calls: 1,
    service,
    timeoutMs: 10_000,
    keys: { domain: BENCH_DOMAIN, contact_host: '127.0.0.1', contact_port: String(uas.port) },
  });
  if (registered.successful !== 1) throw new Error(`the SIPp callee could not register at ${proxy}`);
}
