import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { freePort } from '../interop/sipp-runner.js';
import { toolSkipReason } from '../../helpers/tool-skip-reason.js';

const DNSMASQ = '/usr/sbin/dnsmasq';

/** Why the DNS tests are skipped, or undefined to run them. Under CI a missing dnsmasq is a failure, never a skip. */
export function dnsmasqSkipReason(): string | undefined {
  return toolSkipReason(existsSync(DNSMASQ), 'dnsmasq is not installed (apt-get install -y dnsmasq-base)');
}

export interface Dnsmasq {
  /** 'host:port' for the stack's dnsServers. */
  server: string;
  /** The queries it got so far, as 'TYPE name' (from its --log-queries output, recursive or authoritative; start it with that option). */
  queries(): string[];
  stop(): Promise<void>;
}

/** A dnsmasq answering only from `records` (its --naptr-record=, --srv-host=, --host-record= options) on 127.0.0.1. */
export async function startDnsmasq(records: readonly string[]): Promise<Dnsmasq> {
  const port = await freePort();
  const args = ['--no-daemon', '--no-resolv', '--no-hosts', `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', ...records];
  const child: ChildProcess = spawn(DNSMASQ, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const server = `127.0.0.1:${port}`;
  const probe = new Resolver({ timeout: 200, tries: 1 });
  probe.setServers([server]);
  for (let attempt = 0; ; attempt++) {
    // Any answer, even a refusal, says it is listening; only silence does not.
    const up = await probe.resolve4('probe.invalid').then(
      () => true,
      (err: NodeJS.ErrnoException) => err.code !== 'ETIMEOUT' && err.code !== 'ECONNREFUSED',
    );
    if (up) break;
    if (attempt > 50 || child.exitCode !== null) {
      child.kill();
      throw new Error(`dnsmasq did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    server,
    queries: () => [...stderr.matchAll(/(?:query|auth)\[(\w+)\] (\S+) from/g)].map((m) => `${m[1]} ${m[2]}`),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
