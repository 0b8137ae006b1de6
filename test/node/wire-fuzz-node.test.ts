import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SleetNode } from '../../server/node/sleet-node.js';
import { fuzzOverTcp, fuzzOverUdp } from '../sip/stack/fuzz-senders.js';
import { optionsOverTcp, optionsOverUdp } from '../sip/stack/options-probe.js';
import { startDemoNode } from '../helpers/demo-node.js';

/** Server-transaction activities end at their final response, so once the fuzz stops they drain within the services' answer time. */
async function sipActivities(node: SleetNode): Promise<number> {
  return node.slee
    .listResourceAdaptorEntities()
    .filter((e) => e.name === 'sip')
    .reduce((sum, e) => sum + e.activities, 0);
}

test('a demo node fuzzed with mutated RFC 4475 messages over UDP and TCP keeps serving, and its SIP activities drain', async (t) => {
  const { node, sipPort } = await startDemoNode(t, 'fuzz');

  // Bounded by count, not time, so that every run sends the same messages.
  assert.equal(await fuzzOverUdp(sipPort, { seconds: 0, atLeast: 1500, atMost: 1500, seed: 5118 }), 1500);
  assert.equal(await fuzzOverTcp(sipPort, { seconds: 0, atLeast: 200, atMost: 200, seed: 3261 }), 200);

  assert.equal(await optionsOverUdp(sipPort, 'nodefuzzudp'), 200, 'OPTIONS over UDP still answered');
  assert.equal(await optionsOverTcp(sipPort, 'nodefuzztcp'), 200, 'OPTIONS over TCP still answered');
  const deadline = Date.now() + 10_000;
  while ((await sipActivities(node)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await sipActivities(node), 0, 'no SIP activity is left waiting for an answer');
});
