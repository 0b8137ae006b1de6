import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { waitUntil } from '../timers/redis-for-tests.js';
import { fixtureBundle } from '../deployment/fixture-bundles.js';
import type { ClusterNodeProcess } from './cluster-node-process.js';
import { holdCallsThroughKamailio, twoNodeCallBed } from './two-node-call-bed.js';

const CALLS = 60;
const RATE = 5;
const HOLD_MS = 2000;

type Service = { id: { name: string; version: string }; state: string; rootEntities: number };

async function answering(node: ClusterNodeProcess, version: string): Promise<Service | undefined> {
  const services = (await node.api('GET', '/services')).json as Service[];
  return services.find((s) => s.id.name === 'AnsweringService' && s.id.version === version);
}

async function install(node: ClusterNodeProcess, archive: string): Promise<void> {
  const response = await fetch(`${node.managementUrl}/deployment/units`, {
    method: 'POST',
    headers: { authorization: `Bearer ${node.token}`, 'content-type': 'application/gzip' },
    body: await readFile(archive),
  });
  assert.equal(response.status, 200, await response.text());
}

test('a versioned upgrade made on one node reaches both under SIPp load through the dispatcher: every call succeeds, each node drains 1.0', async (t) => {
  const bed = await twoNodeCallBed(t);
  if (!bed) return;
  const [v1, v2] = await Promise.all([fixtureBundle('sip-uas-v1'), fixtureBundle('sip-uas-v2')]);
  const [a, b] = bed.nodes as [ClusterNodeProcess, ClusterNodeProcess];
  // AnsweringService answers the calls, on every node: the location proxy out of the way, 1.0 installed and active, all from node A.
  assert.equal((await a.api('POST', '/services/LocationProxy/deactivate')).status, 200);
  await install(a, v1.archive);
  assert.equal((await a.api('POST', '/services/AnsweringService:acme:1.0/activate')).status, 200);
  await waitUntil(async () => (await answering(b, '1.0'))?.state === 'ACTIVE', 'AnsweringService 1.0 to be ACTIVE on node B', 5000);

  const uac = await holdCallsThroughKamailio(t, bed, { calls: CALLS, rate: RATE, holdMs: HOLD_MS });
  for (const node of [a, b]) await waitUntil(async () => ((await answering(node, '1.0'))?.rootEntities ?? 0) > 0, `calls on 1.0 on ${node.id}`, 8000);

  await install(a, v2.archive);
  const upgraded = await a.api('POST', '/services/deactivate-and-activate', { deactivate: 'AnsweringService:acme:1.0', activate: 'AnsweringService:acme:2.0' });
  assert.equal(upgraded.status, 200, JSON.stringify(upgraded.json));
  for (const node of [a, b]) await waitUntil(async () => ((await answering(node, '2.0'))?.rootEntities ?? 0) > 0, `calls on 2.0 on ${node.id}`, 8000);
  // Node A uninstalls 1.0 once its own calls on it ended; node B applies that once its own have.
  await waitUntil(async () => (await answering(a, '1.0'))?.state === 'INACTIVE', '1.0 to drain on node A', 8000);
  const uninstalled = await a.api('DELETE', '/deployment/units/acme.sip-uas@1.0.0');
  assert.equal(uninstalled.status, 200, JSON.stringify(uninstalled.json));

  const result = await uac.finished();
  assert.equal(result.failed, 0, JSON.stringify(result));
  assert.equal(result.successful, CALLS, JSON.stringify(result));
  for (const node of [a, b]) {
    await waitUntil(async () => (await answering(node, '1.0')) === undefined, `1.0 to be uninstalled on ${node.id}`, 8000);
    assert.equal((await answering(node, '2.0'))?.state, 'ACTIVE');
  }
  const adverts = (await b.api('GET', '/cluster/nodes')).json as Array<{ deployment?: { revision: number; error?: string } }>;
  assert.deepEqual(
    adverts.map((n) => n.deployment),
    [{ revision: 6 }, { revision: 6 }],
  );
  t.diagnostic(`${CALLS} calls through the dispatcher, 0 failed, across an upgrade from 1.0 to 2.0 and the uninstall of 1.0 on both nodes`);
});
