import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitUntil } from '../timers/redis-for-tests.js';
import type { ClusterNodeProcess } from './cluster-node-process.js';
import { holdCallsThroughKamailio, twoNodeCallBed } from './two-node-call-bed.js';

/** Calls and their timing: 40 calls at 4/s, each held 3 s, node A killed 5 s in. */
const CALLS = 40;
const RATE = 4;
const HOLD_MS = 3000;
const KILL_AFTER_MS = 5000;

test('two nodes behind Kamailio: one is SIGKILLed under SIPp load, its established calls end through the other, and new calls go on', async (t) => {
  const bed = await twoNodeCallBed(t);
  if (!bed) return;
  const { kamailio, uas } = bed;
  const [a, b] = bed.nodes as [ClusterNodeProcess, ClusterNodeProcess];

  const uac = await holdCallsThroughKamailio(t, bed, { calls: CALLS, rate: RATE, holdMs: HOLD_MS });
  await new Promise((r) => setTimeout(r, KILL_AFTER_MS));
  const killedAt = Date.now();
  await a.kill('SIGKILL');
  const result = await uac.finished();
  const elapsed = Date.now() - killedAt;

  const established = kamailio.lines('sleet-call established');
  const onA = established.filter((l) => l.endsWith(`by 127.0.0.1:${a.sipPort}`)).map((l) => l.split(' ')[2]!);
  const ended = new Map(kamailio.lines('sleet-call ended').map((l) => [l.split(' ')[2]!, l]));
  const endedCleanlyOnA = onA.filter((callId) => ended.get(callId)?.includes(' 200 by '));
  const failovers = kamailio.lines('sleet-failover');
  const diagnostics = () =>
    `SIPp ${JSON.stringify(result)}\nKamailio:\n${[...established, ...ended.values(), ...failovers].join('\n')}\nnode B log tail:\n${b.log.slice(-3000)}`;

  assert.ok(onA.length >= 3, `calls were established on node A before it died (${onA.length})\n${diagnostics()}`);
  const byesMoved = failovers.filter((l) => l.startsWith('sleet-failover in-dialog BYE')).map((l) => l.split(' ')[3]!);
  assert.ok(
    byesMoved.length >= 1 && byesMoved.every((callId) => onA.includes(callId)),
    `BYEs of node A's calls, and only those, were sent to node B\n${diagnostics()}`,
  );
  const servedByB = byesMoved.filter((callId) => ended.get(callId)?.endsWith(` 200 by 127.0.0.1:${b.sipPort}`));
  assert.deepEqual(servedByB, byesMoved, `node B answered 200 to every BYE of node A's calls sent to it\n${diagnostics()}`);
  assert.ok(
    byesMoved.every((callId) => uas.byes.has(callId)),
    'the callee received each of those BYEs',
  );
  assert.ok(
    endedCleanlyOnA.length >= Math.ceil(0.99 * onA.length),
    `at least 99% of the calls established on node A end with 200 to their BYE: ${endedCleanlyOnA.length} of ${onA.length}\n${diagnostics()}`,
  );
  // Every call succeeds but those node A was setting up at the instant it died (early dialogs are not replicated).
  assert.ok(
    result.failed <= 1 && result.successful >= CALLS - 1,
    `SIPp: ${result.successful} successful, ${result.failed} failed of ${CALLS}\n${diagnostics()}`,
  );
  const bCalls = established.filter((l) => l.endsWith(`by 127.0.0.1:${b.sipPort}`)).length;
  assert.ok(bCalls >= CALLS - onA.length - 1, `the calls started after the kill were set up by node B (${bCalls})\n${diagnostics()}`);

  const registrations = await b.api('GET', '/profiles/tables/registrations/profiles');
  assert.equal(registrations.status, 200);
  const contacts = JSON.stringify(registrations.json);
  assert.ok(contacts.includes(`127.0.0.1:${uas.port}`), `bob's registration made on node A is still there: ${contacts}`);
  await waitUntil(async () => ((await b.api('GET', '/cluster/nodes')).json as unknown[]).length === 1, 'node A to leave the cluster list');
  t.diagnostic(
    `${onA.length} calls established on node A, ${endedCleanlyOnA.length} ended cleanly, ${byesMoved.length} of them by a BYE node B served after the kill; ${failovers.length - byesMoved.length} initial requests failed over; SIPp ${result.successful} successful, ${result.failed} failed; load ended ${elapsed} ms after the kill`,
  );
});
