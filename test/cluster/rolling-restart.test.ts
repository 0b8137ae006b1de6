import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startClusterNodeProcess, type ClusterNodeProcess } from './cluster-node-process.js';
import { holdCallsThroughKamailio, twoNodeCallBed } from './two-node-call-bed.js';

const CALLS = 72;
const RATE = 4;
const HOLD_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a rolling restart of both nodes under SIPp load, each drained first, fails no call', async (t) => {
  const bed = await twoNodeCallBed(t);
  if (!bed) return;
  const { kamailio } = bed;
  const uac = await holdCallsThroughKamailio(t, bed, { calls: CALLS, rate: RATE, holdMs: HOLD_MS });

  const steps: string[] = [];
  await sleep(2000);
  for (const index of [0, 1]) {
    const node: ClusterNodeProcess = bed.nodes[index]!;
    const drained = await node.api('POST', '/cluster/drain');
    assert.equal(drained.status, 200);
    // The probe (each second) sees the 503 and takes the node out; its calls in progress end (held 2 s).
    await sleep(HOLD_MS + 1500);
    await node.stop();
    assert.equal(node.exitCode, 0, node.log.slice(-2000));
    const restarted: ClusterNodeProcess = await startClusterNodeProcess({
      cluster: bed.cluster,
      id: node.id,
      profilesUrl: bed.profilesUrl,
      sipPort: node.sipPort,
      dataDir: node.dataDir,
    });
    bed.nodes[index] = restarted;
    steps.push(`${node.id} drained, stopped and restarted`);
    // Back in rotation once the probe gets its 200.
    await sleep(2000);
  }
  const result = await uac.finished();
  const established = kamailio.lines('sleet-call established');
  const byNode = bed.nodes.map((n) => established.filter((l) => l.endsWith(`by 127.0.0.1:${n.sipPort}`)).length);
  const diagnostics = `SIPp ${JSON.stringify(result)}\n${steps.join('\n')}\n${kamailio.lines('sleet-failover').join('\n')}`;
  assert.equal(result.failed, 0, diagnostics);
  assert.equal(result.successful, CALLS, diagnostics);
  assert.ok(
    byNode.every((n) => n > 0),
    `both nodes carried calls: ${byNode.join(', ')}\n${diagnostics}`,
  );
  t.diagnostic(
    `${CALLS} calls, 0 failed, across two drains and restarts; calls per node ${byNode.join(', ')}; ${kamailio.lines('sleet-failover').length} failovers`,
  );
});
