import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../slee/node/sleet-node.js';
import { resolveNodeConfig } from '../../slee/node/node-config.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { fuzzOverTcp, fuzzOverUdp } from '../sip/stack/fuzz-senders.js';
import { optionsOverTcp, optionsOverUdp } from '../sip/stack/options-probe.js';
import { silentLogger } from '../helpers/silent-logger.js';

/** Server-transaction activities end at their final response, so once the fuzz stops they drain within the services' answer time. */
async function sipActivities(node: SleetNode): Promise<number> {
  return node.slee.listResourceAdaptorEntities().filter((e) => e.name === 'sip').reduce((sum, e) => sum + e.activities, 0);
}

test('a demo node fuzzed with mutated RFC 4475 messages over UDP and TCP keeps serving, and its SIP activities drain', async (t) => {
  const sipPort = await freePort();
  const config = resolveNodeConfig({
    flags: { demo: true, dataDir: await mkdtemp(join(tmpdir(), 'sleet-fuzz-')), sipPort, httpPort: 0, managementPort: 0 },
    env: {},
  });
  const node = await SleetNode.start({ config, logger: silentLogger() });
  t.after(() => node.stop());

  // Bounded by count, not time, so that every run sends the same messages.
  assert.equal(await fuzzOverUdp(sipPort, { seconds: 0, atLeast: 1500, atMost: 1500, seed: 5118 }), 1500);
  assert.equal(await fuzzOverTcp(sipPort, { seconds: 0, atLeast: 200, atMost: 200, seed: 3261 }), 200);

  assert.equal(await optionsOverUdp(sipPort, 'nodefuzzudp'), 200, 'OPTIONS over UDP still answered');
  assert.equal(await optionsOverTcp(sipPort, 'nodefuzztcp'), 200, 'OPTIONS over TCP still answered');
  const deadline = Date.now() + 10_000;
  while ((await sipActivities(node)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await sipActivities(node), 0, 'no SIP activity is left waiting for an answer');
});
