import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from 'ioredis';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import { ChildRelation } from '../../slee/component-model/child-relation.decorator.js';
import type { ChildRelationView } from '../../slee/entity/child-relation-view.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { PingEvent, deploy, type Ping } from '../helpers/core-fixture.js';
import { capturedLogger } from '../helpers/captured-logger.js';
import { waitUntil } from '../timers/redis-for-tests.js';
import { startClusterNode, uniqueClusterName } from './replication-fixture.js';
import { clusterKeys, redisClusterForFile, type RedisClusterForTests } from './redis-cluster-for-tests.js';
import { ClusterMembership } from '../../server/cluster/cluster-membership.js';
import { ClusterDeployment } from '../../server/cluster/cluster-deployment.js';
import type { DeploymentOperation } from '../../server/management/deployment-log.js';

// One real 3-master Redis Cluster for the file; each test uses its own cluster name.
const clusterOrSkip = redisClusterForFile();

/** How many masters hold at least one key of the pattern. */
async function mastersHolding(cluster: RedisClusterForTests, pattern: string): Promise<number> {
  return (await clusterKeys(cluster, pattern)).filter((keys) => keys.length > 0).length;
}

@Service({ name: 'ClusterRaceCounter' })
@Sbb()
class RaceCounterSbb {
  @Cmp() count = 0;

  @InitialEvent({ select: ['ActivityContext'] })
  async onPing(event: Ping, aci: ActivityContextInterface) {
    const count = this.count;
    const hits = aci.get<number>('hits') ?? 0;
    await new Promise((resolve) => setTimeout(resolve, event.delayMs ?? 1));
    this.count = count + 1;
    aci.set('hits', hits + 1);
  }
}

const PER_NODE = 15;

test('on a Redis Cluster, two nodes increment one replicated activity at once and the version check loses no update', async (t) => {
  const redis = clusterOrSkip(t);
  if (!redis) return;
  const cluster = uniqueClusterName();
  const [a, b, c] = [
    await startClusterNode(cluster, { redisUrl: redis.urls }),
    await startClusterNode(cluster, { redisUrl: redis.urls }),
    await startClusterNode(cluster, { redisUrl: redis.urls }),
  ];
  t.after(async () => {
    for (const node of [a, b, c]) await node.close();
  });
  assert.ok(a.store.redis instanceof Cluster, 'several seed URLs give the cluster client');
  for (const node of [a, b, c]) deploy(node.slee, RaceCounterSbb);
  const onA = a.ra.startActivity('race-call-1');
  assert.equal(await a.ra.fire(onA, PingEvent, { n: 0 }), false);
  await a.ra.replicate(onA);
  const onB = await b.ra.adoptActivity('race-call-1');
  assert.ok(onB, 'node B takes the activity over from the Redis Cluster');
  const fired = [];
  for (let i = 1; i <= PER_NODE; i++) fired.push(a.ra.fire(onA, PingEvent, { n: i, delayMs: 2 }), b.ra.fire(onB, PingEvent, { n: i, delayMs: 3 }));
  assert.deepEqual(await Promise.all(fired), Array(2 * PER_NODE).fill(false), 'no delivery fails');
  const onC = await c.ra.adoptActivity('race-call-1');
  assert.ok(onC);
  const ac = c.slee.kernel.activityOf(onC);
  assert.equal([...ac.attached][0]?.cmp.count, 1 + 2 * PER_NODE, 'every CMP increment of both nodes is kept');
  assert.equal(ac.attributes.get('hits'), 1 + 2 * PER_NODE, 'every ACI attribute increment is kept');
  const conflicts = a.store.counters.conflicts + b.store.counters.conflicts;
  assert.ok(conflicts > 0, `the nodes did race: ${conflicts} commits found the other node's version`);
});

@Sbb()
class LegSbb {
  @Cmp() label = '';

  setLabel(label: string): void {
    this.label = label;
  }
}

@Service({ name: 'ClusterTakeoverCall' })
@Sbb()
class TakeoverCallSbb {
  @ChildRelation(() => LegSbb) legs!: ChildRelationView<LegSbb>;
  @Cmp() events = 0;
  @Cmp() bytes = 0n;

  @InitialEvent({ select: ['ActivityContext'] })
  onPing(event: Ping, aci: ActivityContextInterface) {
    this.events = this.events + 1;
    this.bytes = this.bytes + 1000n;
    if (event.n === 0) {
      const leg = this.legs.create();
      leg.setLabel(`leg-${aci.get<string>('call') ?? ''}`);
      aci.attach(leg);
    }
  }
}

const CALLS = 8;

test('on a Redis Cluster, calls replicated through one client are adopted through another, their keys spread over the masters', async (t) => {
  const redis = clusterOrSkip(t);
  if (!redis) return;
  const cluster = uniqueClusterName();
  const a = await startClusterNode(cluster, { redisUrl: redis.urls });
  const b = await startClusterNode(cluster, { redisUrl: [...redis.urls].reverse() });
  t.after(async () => {
    await a.close();
    await b.close();
  });
  for (const node of [a, b]) deploy(node.slee, TakeoverCallSbb);
  const calls = Array.from({ length: CALLS }, (_, i) => `call-${i}`);
  for (const call of calls) {
    const onA = a.ra.startActivity(call);
    a.slee.kernel.activityOf(onA).attributes.set('call', call);
    assert.equal(await a.ra.fire(onA, PingEvent, { n: 0 }), false);
    await a.ra.replicate(onA);
    assert.equal(await a.ra.fire(onA, PingEvent, { n: 1 }), false);
  }
  const pattern = `sleet:${cluster}:*`;
  const perMaster = await clusterKeys(redis, pattern);
  assert.equal(perMaster.flat().length, 2 * CALLS, 'an activity record and a tree record per call');
  assert.ok((await mastersHolding(redis, pattern)) >= 2, `the calls' keys are spread over the masters: ${perMaster.map((k) => k.length).join(', ')}`);
  for (const keys of perMaster) {
    for (const key of keys) {
      const slot = Number(await redis.masters[0]!.call('CLUSTER', 'KEYSLOT', key));
      const sibling = key.replace(/:(activity|tree):.*$/, '');
      assert.ok(
        keys.some((k) => k !== key && k.startsWith(sibling)),
        `a call's activity and tree share one master (${key}, slot ${slot})`,
      );
    }
  }

  for (const call of calls) {
    const onB = await b.ra.adoptActivity(call);
    assert.ok(onB, `${call} is adopted through the other client`);
    const acB = b.slee.kernel.activityOf(onB);
    const root = [...acB.attached].find((e) => e.parent === null)!;
    const leg = [...acB.attached].find((e) => e.parent !== null)!;
    assert.equal(root.cmp.events, 2);
    assert.equal(root.cmp.bytes, 2000n);
    assert.equal(leg.cmp.label, `leg-${call}`);
    assert.equal(await b.ra.fire(onB, PingEvent, { n: 2 }), false, 'a commit through the other client after adoption');
    assert.equal(root.cmp.events, 3);
    b.ra.endActivity(onB);
  }
  await waitUntil(async () => (await clusterKeys(redis, pattern)).flat().length === 0, 'the ended activities and their trees to leave every master');
});

test('on a Redis Cluster, the advert listing finds the nodes on every master', async (t) => {
  const redis = clusterOrSkip(t);
  if (!redis) return;
  const cluster = uniqueClusterName();
  const client = new Cluster(redis.urls.map((u) => ({ host: '127.0.0.1', port: Number(new URL(u).port) })));
  const members = Array.from(
    { length: 6 },
    (_, i) =>
      new ClusterMembership({
        redis: client,
        cluster,
        advert: { id: `node-${i}`, version: '0', sip: `127.0.0.1:${5060 + i}`, management: 'http://127.0.0.1', startedAt: 0 },
        calls: () => i,
        deployment: () => ({ revision: 0 }),
        logger: capturedLogger().logger,
        intervalMs: 60_000,
        ttlMs: 60_000,
      }),
  );
  t.after(async () => {
    for (const m of members) await m.stop();
    await client.quit();
  });
  for (const m of members) await m.start();
  assert.ok((await mastersHolding(redis, `sleet:${cluster}:node:*`)) >= 2, 'the adverts live on several masters');
  assert.deepEqual(
    (await members[0]!.nodes()).map((n) => [n.id, n.calls]),
    members.map((m, i) => [m.id, i]),
    'every node is listed, whichever master holds its advert',
  );
  // A client that has sent nothing yet knows no masters until it connects: the listing waits for that.
  const fresh = new Cluster(redis.urls.map((u) => ({ host: '127.0.0.1', port: Number(new URL(u).port) })));
  t.after(() => fresh.quit());
  const watcher = new ClusterMembership({
    redis: fresh,
    cluster,
    advert: { id: 'watcher', version: '0', sip: '127.0.0.1:5070', management: 'http://127.0.0.1', startedAt: 0 },
    calls: () => 0,
    deployment: () => ({ revision: 0 }),
    logger: capturedLogger().logger,
  });
  assert.equal((await watcher.nodes()).length, members.length, 'a fresh client lists every node too');
});

test('on a Redis Cluster, the deployment log carries an install and an activation from one node to another', async (t) => {
  const redis = clusterOrSkip(t);
  if (!redis) return;
  const cluster = uniqueClusterName();
  const clients = [0, 1].map(() => new Cluster(redis.urls.map((u) => ({ host: '127.0.0.1', port: Number(new URL(u).port) }))));
  const [a, b] = clients.map(
    (client, i) => new ClusterDeployment({ redis: client, cluster, nodeId: `node-${i}`, logger: capturedLogger().logger, pollMs: 60_000 }),
  ) as [ClusterDeployment, ClusterDeployment];
  t.after(async () => {
    await a.stop();
    await b.stop();
    for (const c of clients) await c.quit();
  });
  const applied: DeploymentOperation[] = [];
  const failures: string[] = [];
  await a.follow(
    async () => undefined,
    (message) => failures.push(message),
  );
  await b.follow(
    async (op) => void applied.push(op),
    (message) => failures.push(message),
  );
  const bundle = Buffer.from([0x1f, 0x8b, 0, 1, 2, 255]);
  await a.record({ kind: 'install', unit: 'acme.u@1.0.0', bundle });
  await a.record({ kind: 'activate', service: { name: 'S', vendor: 'acme', version: '1.0' } });
  await waitUntil(() => b.progress().revision === 2, 'node B at revision 2 (woken by the published change)', 5000);
  assert.deepEqual(
    applied.map((op) => op.kind),
    ['install', 'activate'],
  );
  assert.ok((applied[0] as Extract<DeploymentOperation, { kind: 'install' }>).bundle.equals(bundle), 'the bundle bytes arrive intact');
  assert.deepEqual(failures, []);
});
