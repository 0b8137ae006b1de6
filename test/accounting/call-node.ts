import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { SUBSCRIBERS_TABLE } from '../../sbbs/index.js';
import { freePort, runSipp, type SippRun } from '../sip/interop/sipp-runner.js';
import { UdpSipClient } from '../sbbs/udp-sip-client.js';
import { silentLogger } from '../helpers/silent-logger.js';

/**
 * A node without the demo's bundles (quick to start): the built-in registrar
 * and location proxy, alice and bob provisioned, 127.0.0.0/8 trusted, bob
 * registered at a SIPp UAS port. `calls(n)` has SIPp call bob n times.
 */
export async function startCallNode(t: TestContext, name: string, flags: Record<string, unknown> = {}) {
  const sipPort = await freePort();
  const config = resolveNodeConfig({
    flags: { dataDir: await mkdtemp(join(tmpdir(), `sleet-${name}-`)), sipPort, httpPort: 0, managementPort: 0, trusted: ['127.0.0.0/8'], ...flags },
    env: {},
  });
  const node = await SleetNode.start({ config, logger: silentLogger() });
  t.after(() => node.stop());
  for (const user of ['alice', 'bob']) {
    if (!(await node.profiles.getProfile(SUBSCRIBERS_TABLE, user)))
      await node.profiles.createProfile(SUBSCRIBERS_TABLE, user, { address: `sip:${user}@127.0.0.1`, username: user, password: `${user}-pw` });
  }
  const bobPort = await freePort();
  const bob = await UdpSipClient.open(sipPort);
  t.after(() => bob.close());
  assert.equal((await bob.register({ user: 'bob', domain: '127.0.0.1', contacts: [`<sip:bob@127.0.0.1:${bobPort}>`] })).status, 200);
  return {
    node,
    sipPort,
    /** n calls from alice to bob, answered, each lasting `holdMs`, at `rate` a second. */
    calls: async (n: number, options: { rate?: number; holdMs?: number } = {}): Promise<SippRun> => {
      const callee = runSipp({ scenario: { file: 'uas-rr.xml' }, port: bobPort, calls: n });
      await new Promise((r) => setTimeout(r, 300));
      const extraArgs = ['-r', String(options.rate ?? 10), ...(options.holdMs ? ['-d', String(options.holdMs)] : [])];
      const run = await runSipp({
        scenario: { file: 'uac-rr.xml' },
        port: await freePort(),
        remote: `127.0.0.1:${sipPort}`,
        calls: n,
        service: 'bob',
        extraArgs,
      });
      assert.equal((await callee).exitCode, 0, 'bob answered every call');
      return run;
    },
  };
}

/** Polls until `check` holds, or fails after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
