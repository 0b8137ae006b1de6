import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { PingEvent, deploy, type Ping } from '../helpers/core-fixture.js';
import { redisAvailable } from '../timers/redis-for-tests.js';
import { removeClusterKeys, startClusterNode, uniqueClusterName } from './replication-fixture.js';

/** One entity per activity; each event increments a CMP field and an ACI attribute across an await, where another node can commit first. */
@Service({ name: 'RaceCounter' })
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

/** Two nodes hold one replicated activity and increment its state at once; what a third node then loads. */
async function race(checkVersions: boolean) {
  const cluster = uniqueClusterName();
  const a = await startClusterNode(cluster, { checkVersions });
  const b = await startClusterNode(cluster, { checkVersions });
  const c = await startClusterNode(cluster);
  try {
    for (const node of [a, b, c]) deploy(node.slee, RaceCounterSbb);
    const onA = a.ra.startActivity('race-call-1');
    assert.equal(await a.ra.fire(onA, PingEvent, { n: 0 }), false);
    await a.ra.replicate(onA);
    const onB = await b.ra.adoptActivity('race-call-1');
    assert.ok(onB, 'node B takes the activity over from Redis');
    const fired = [];
    for (let i = 1; i <= PER_NODE; i++) {
      fired.push(a.ra.fire(onA, PingEvent, { n: i, delayMs: 2 }), b.ra.fire(onB, PingEvent, { n: i, delayMs: 3 }));
    }
    const failed = await Promise.all(fired);
    const onC = await c.ra.adoptActivity('race-call-1');
    assert.ok(onC);
    const ac = c.slee.kernel.activityOf(onC);
    const [entity] = [...ac.attached];
    return {
      failed,
      count: entity?.cmp.count,
      hits: ac.attributes.get('hits'),
      retries: a.slee.kernel.stats.transactionRetries + b.slee.kernel.stats.transactionRetries,
      conflicts: a.store.counters.conflicts + b.store.counters.conflicts,
    };
  } finally {
    await removeClusterKeys(a.store, cluster);
    for (const node of [a, b, c]) await node.close();
  }
}

test('two nodes increment one replicated activity at once: the version check loses no update', async (t) => {
  if (!(await redisAvailable(t))) return;
  const { failed, count, hits, retries, conflicts } = await race(true);
  assert.deepEqual(failed, Array(2 * PER_NODE).fill(false), 'no delivery fails: a commit that lost to the other node is retried');
  assert.equal(count, 1 + 2 * PER_NODE, 'every CMP increment of both nodes is kept');
  assert.equal(hits, 1 + 2 * PER_NODE, 'every ACI attribute increment of both nodes is kept');
  assert.ok(conflicts > 0 && retries >= conflicts, `the nodes did race: ${conflicts} commits found the other node's version, ${retries} deliveries retried`);
});

test('without the version check the same race loses updates', async (t) => {
  if (!(await redisAvailable(t))) return;
  const { count, hits, conflicts } = await race(false);
  assert.equal(conflicts, 0);
  assert.ok((count as number) < 1 + 2 * PER_NODE, `increments are lost: ${String(count)} of ${1 + 2 * PER_NODE} kept`);
  assert.ok((hits as number) < 1 + 2 * PER_NODE, `attribute increments are lost: ${String(hits)} of ${1 + 2 * PER_NODE} kept`);
});
