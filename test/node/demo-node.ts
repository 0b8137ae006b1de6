import type { TestContext } from 'node:test';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig, type NodeConfigKey } from '../../server/node/config/node-config.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { UdpSipClient } from '../sbbs/udp-sip-client.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { CRASH_GUARD_SOURCE } from '../../server/node/crash-guard.js';

/** A node started as `npm start` does (`--demo`), in this process, on free ports; stopped after the test. `flags` adds start flags. */
export async function startDemoNode(t: TestContext, flags: Partial<Record<NodeConfigKey, unknown>> = {}) {
  const [sipPort, httpPort] = [await freePort(), await freePort()];
  const config = resolveNodeConfig({
    flags: { demo: true, dataDir: await mkdtemp(join(tmpdir(), 'sleet-demo-')), sipPort, httpPort, managementPort: 0, ...flags },
    env: {},
  });
  const node = await SleetNode.start({ config, logger: silentLogger() });
  t.after(() => node.stop());
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  return {
    node,
    sipPort,
    httpPort,
    httpUrl,
    /** Live activities of the HTTP resource adaptor entity (requests and webhooks). */
    httpActivities: () => node.slee.listResourceAdaptorEntities().find((e) => e.name === 'http')!.activities,
    /** Alarms the node's last-resort guard raised: any means an error escaped every handler. */
    guardAlarms: () => node.slee.kernel.alarms.list(CRASH_GUARD_SOURCE),
    /** The status of a valid click-to-dial request. */
    postValidCall: async () =>
      (await fetch(`${httpUrl}/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'alice', to: 'bob' }) }))
        .status,
    /** The status of the final answer to an OPTIONS sent over UDP. */
    sipOptions: async () => {
      const client = await UdpSipClient.open(sipPort);
      try {
        const lines = [
          `OPTIONS sip:127.0.0.1:${sipPort} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${client.port};branch=z9hG4bK${Math.random().toString(36).slice(2)};rport`,
          `From: <sip:probe@127.0.0.1>;tag=${Math.random().toString(36).slice(2)}`,
          `To: <sip:127.0.0.1:${sipPort}>`,
          `Call-ID: ${Math.random().toString(36).slice(2)}@127.0.0.1`,
          'CSeq: 1 OPTIONS',
          'Max-Forwards: 70',
          'Content-Length: 0',
        ];
        return (await client.send(`${lines.join('\r\n')}\r\n\r\n`)).status;
      } finally {
        await client.close();
      }
    },
  };
}
