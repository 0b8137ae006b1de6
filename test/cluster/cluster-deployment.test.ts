import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packBundle, unpackBundle } from '../../slee/deployment/bundle/bundle-archive.js';
import { redisAvailable, waitUntil } from '../timers/redis-for-tests.js';
import { removeClusterKeysOf, uniqueClusterName } from './replication-fixture.js';
import { startClusterNodeProcess, type ClusterNodeProcess } from './cluster-node-process.js';
import { fixtureBundle } from '../deployment/fixture-bundles.js';
import { freePort, runSipp, sippSkipReason, type SippRun } from '../sip/interop/sipp-runner.js';

type Service = { id: { name: string; version: string }; state: string; rootEntities: number };
type Advert = { id: string; deployment?: { revision: number; error?: string } };

/** The bundle with its SBB needing one more resource-adaptor link name. */
async function withRaLink(archive: string, link: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sleet-bundle-'));
  await unpackBundle(archive, join(dir, 'tree'));
  const file = join(dir, 'tree', 'sleet-bundle.json');
  const descriptor = JSON.parse(await readFile(file, 'utf8')) as { components: { sbbs: Array<{ raLinks: string[] }> } };
  descriptor.components.sbbs[0]!.raLinks.push(link);
  await writeFile(file, JSON.stringify(descriptor));
  await packBundle(join(dir, 'tree'), join(dir, 'bundle.tgz'));
  return join(dir, 'bundle.tgz');
}

async function installBundle(node: ClusterNodeProcess, archive: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${node.managementUrl}/deployment/units`, {
    method: 'POST',
    headers: { authorization: `Bearer ${node.token}`, 'content-type': 'application/gzip' },
    body: await readFile(archive),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

async function answering(node: ClusterNodeProcess, version: string): Promise<Service | undefined> {
  const services = (await node.api('GET', '/services')).json as Service[];
  return services.find((s) => s.id.name === 'AnsweringService' && s.id.version === version);
}

async function units(node: ClusterNodeProcess): Promise<string[]> {
  return ((await node.api('GET', '/deployment/units')).json as Array<{ id: string }>).map((u) => u.id);
}

/** One call to a node's SIP port held `holdMs`: AnsweringService answers it, the version that did holds a root entity meanwhile. */
async function call(node: ClusterNodeProcess, holdMs: number): Promise<SippRun> {
  return runSipp({ scenario: { builtin: 'uac' }, port: await freePort(), remote: `127.0.0.1:${node.sipPort}`, calls: 1, extraArgs: ['-d', String(holdMs)] });
}

async function expectAnsweredBy(node: ClusterNodeProcess, version: string): Promise<void> {
  const held = call(node, 2500);
  await waitUntil(
    async () => ((await answering(node, version))?.rootEntities ?? 0) === 1,
    `a call on ${node.id} to be held by AnsweringService ${version}`,
    8000,
  );
  const run = await held;
  assert.equal(run.successful, 1, `the call to ${node.id} succeeded: ${run.errors}`);
  // The BYE is answered before the service handles it, and on a replicated dialog its root goes only once that
  // commit reached Redis: the next call's root must not be mistaken for this one.
  await waitUntil(async () => ((await answering(node, version))?.rootEntities ?? 0) === 0, `the call on ${node.id} to leave AnsweringService ${version}`, 8000);
}

test(
  'deployment is cluster-wide: install, activate, upgrade and uninstall on one node reach the others, and a node that joins later gets the same state',
  { skip: sippSkipReason() },
  async (t) => {
    if (!(await redisAvailable(t))) return;
    const [v1, v2] = await Promise.all([fixtureBundle('sip-uas-v1'), fixtureBundle('sip-uas-v2')]);
    const cluster = uniqueClusterName();
    const nodes: ClusterNodeProcess[] = [];
    t.after(async () => {
      for (const n of nodes) await n.kill();
      await removeClusterKeysOf(cluster);
    });
    nodes.push(await startClusterNodeProcess({ cluster, id: 'node-a' }));
    nodes.push(await startClusterNodeProcess({ cluster, id: 'node-b' }));
    const [a, b] = nodes as [ClusterNodeProcess, ClusterNodeProcess];

    // The location proxy would take the calls first: out of the way, on every node, from node A.
    assert.equal((await a.api('POST', '/services/LocationProxy/deactivate')).status, 200);
    const installed = await installBundle(a, v1.archive);
    assert.equal(installed.status, 200, JSON.stringify(installed.json));
    assert.equal((await a.api('POST', '/services/AnsweringService:acme:1.0/activate')).status, 200);
    await waitUntil(async () => (await answering(b, '1.0'))?.state === 'ACTIVE', 'AnsweringService 1.0 to be ACTIVE on node B', 5000);
    assert.deepEqual(await units(b), ['acme.sip-uas@1.0.0']);
    await expectAnsweredBy(b, '1.0');

    // A call held on B through the upgrade stays on 1.0, which drains; new calls get 2.0.
    const held = call(b, 4000);
    await waitUntil(async () => ((await answering(b, '1.0'))?.rootEntities ?? 0) === 1, 'a call held on node B by 1.0', 8000);
    assert.equal((await installBundle(a, v2.archive)).status, 200);
    const upgraded = await a.api('POST', '/services/deactivate-and-activate', {
      deactivate: 'AnsweringService:acme:1.0',
      activate: 'AnsweringService:acme:2.0',
    });
    assert.equal(upgraded.status, 200, JSON.stringify(upgraded.json));
    await waitUntil(async () => (await answering(b, '2.0'))?.state === 'ACTIVE', 'AnsweringService 2.0 to be ACTIVE on node B', 5000);
    assert.equal((await answering(b, '1.0'))?.state, 'STOPPING', 'on B, 1.0 drains its call');
    await expectAnsweredBy(b, '2.0');
    assert.equal((await held).successful, 1, 'the call held through the upgrade ends normally');
    await waitUntil(async () => (await answering(b, '1.0'))?.state === 'INACTIVE', '1.0 to drain on node B', 8000);

    // Uninstalled on B, gone on A.
    const uninstalled = await b.api('DELETE', '/deployment/units/acme.sip-uas@1.0.0');
    assert.equal(uninstalled.status, 200, JSON.stringify(uninstalled.json));
    await waitUntil(async () => !(await units(a)).includes('acme.sip-uas@1.0.0'), 'unit 1.0 to be gone on node A', 5000);
    assert.deepEqual(await units(a), ['acme.sip-uas@2.0.0']);

    // A third node joins: before its SIP answers, it has applied what the others did.
    nodes.push(await startClusterNodeProcess({ cluster, id: 'node-c' }));
    const c = nodes[2]!;
    assert.deepEqual(await units(c), ['acme.sip-uas@2.0.0']);
    assert.equal((await answering(c, '2.0'))?.state, 'ACTIVE');
    const proxy = ((await c.api('GET', '/services')).json as Service[]).find((s) => s.id.name === 'LocationProxy');
    assert.equal(proxy?.state, 'INACTIVE');
    await expectAnsweredBy(c, '2.0');

    // Every node reports the same deployment revision, with no failure.
    const adverts = async () => (await c.api('GET', '/cluster/nodes')).json as Advert[];
    await waitUntil(
      async () => {
        const all = await adverts();
        const revisions = new Set(all.map((n) => n.deployment?.revision));
        return all.length === 3 && revisions.size === 1 && !revisions.has(undefined) && all.every((n) => n.deployment?.error === undefined);
      },
      'every node to report the same deployment revision',
      5000,
    );

    // A unit only node A can take (it needs a link name bound on A alone): B and C refuse it, raise an alarm and report the failure.
    assert.equal((await a.api('POST', '/ra/links', { link: 'only-on-a', entity: 'sip' })).status, 200);
    const onlyOnA = await withRaLink(v1.archive, 'only-on-a');
    t.after(() => rm(dirname(onlyOnA), { recursive: true, force: true }));
    assert.equal((await installBundle(a, onlyOnA)).status, 200);
    await waitUntil(
      async () => (await adverts()).filter((n) => n.deployment?.error?.includes("needs resource-adaptor link name 'only-on-a'")).length === 2,
      'nodes B and C to report the unit they could not install',
      5000,
    );
    const alarms = (await b.api('GET', '/alarms')).json as Array<{ type: string; message: string }>;
    assert.ok(
      alarms.some((x) => x.type === 'sleet.cluster.deployment-failed' && x.message.includes('install acme.sip-uas@1.0.0 from node node-a')),
      JSON.stringify(alarms),
    );
    assert.deepEqual(await units(b), ['acme.sip-uas@2.0.0']);

    // Node B restarts on its data directory: it replays the log, not its own deployment.json, and comes back as it was.
    await b.stop();
    nodes[1] = await startClusterNodeProcess({ cluster, id: 'node-b', sipPort: b.sipPort, dataDir: b.dataDir });
    const restarted = nodes[1];
    assert.deepEqual(await units(restarted), ['acme.sip-uas@2.0.0']);
    assert.equal((await answering(restarted, '2.0'))?.state, 'ACTIVE');
    await expectAnsweredBy(restarted, '2.0');
  },
);
