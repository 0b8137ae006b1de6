import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import { ChildRelation } from '../../slee/component-model/child-relation.decorator.js';
import type { ChildRelationView } from '../../slee/entity/child-relation-view.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { ActivityContextNamingFacility } from '../../slee/facilities/naming/activity-context-naming-facility.js';
import { PingEvent, PongEvent, deploy, type Ping } from '../helpers/core-fixture.js';
import { redisAvailable, waitUntil } from '../timers/redis-for-tests.js';
import { removeClusterKeys, startClusterNode, uniqueClusterName } from './replication-fixture.js';

const pongs: string[] = [];

@Sbb()
class LegSbb {
  @Cmp() label = '';
  @Cmp() since: Date | null = null;

  setLabel(label: string): void {
    this.label = label;
    this.since = new Date(1_700_000_000_000);
  }

  onPong() {
    pongs.push(`${this.label}@${this.since?.toISOString()}`);
  }
}

@Service({ name: 'TakeoverCall' })
@Sbb()
class TakeoverCallSbb {
  @ChildRelation(() => LegSbb) legs!: ChildRelationView<LegSbb>;
  @Cmp() events = 0;
  @Cmp() bytes = 0n;

  constructor(private readonly naming: ActivityContextNamingFacility) {}

  @InitialEvent({ select: ['ActivityContext'] })
  onPing(event: Ping, aci: ActivityContextInterface) {
    this.events = this.events + 1;
    this.bytes = this.bytes + 1000n;
    if (event.n === 0) {
      const leg = this.legs.create();
      leg.setLabel('caller');
      aci.attach(leg);
      aci.set('state', { phase: 'confirmed', legs: ['caller'] });
      this.naming.bind(aci, 'call:takeover');
    }
  }
}

test('a node takes over a replicated activity: attributes, name, SBB entity tree and CMP values as the other node committed them', async (t) => {
  if (!(await redisAvailable(t))) return;
  const cluster = uniqueClusterName();
  const a = await startClusterNode(cluster);
  const b = await startClusterNode(cluster);
  t.after(async () => {
    await removeClusterKeys(a.store, cluster);
    await a.close();
    await b.close();
  });
  for (const node of [a, b]) deploy(node.slee, TakeoverCallSbb);

  assert.equal(await b.ra.adoptActivity('call-1'), null, 'nothing to take over before any node replicated the activity');
  const onA = a.ra.startActivity('call-1');
  assert.equal(await a.ra.fire(onA, PingEvent, { n: 0 }), false);
  await a.ra.replicate(onA);
  assert.equal(await a.ra.fire(onA, PingEvent, { n: 1 }), false, 'a commit after replication writes the change too');

  const onB = await b.ra.adoptActivity('call-1');
  assert.ok(onB);
  const acA = a.slee.kernel.activityOf(onA);
  const acB = b.slee.kernel.activityOf(onB);
  assert.deepEqual(acB.attributes.get('state'), { phase: 'confirmed', legs: ['caller'] });
  assert.equal(b.slee.kernel.lookupName(null, 'call:takeover'), acB, 'the name is bound on the node that took over');
  const ids = (ac: typeof acA) => [...ac.attached].map((e) => e.id).sort();
  assert.deepEqual(ids(acB), ids(acA), 'the same entities are attached, under the same ids');
  const rootB = [...acB.attached].find((e) => e.parent === null)!;
  assert.equal(rootB.cmp.events, 2);
  assert.equal(rootB.cmp.bytes, 2000n, 'a bigint CMP field survives');
  assert.equal(b.slee.kernel.services.get(rootB.service.key)!.roots.get(rootB.convergenceName!), rootB, 'the root is found by its convergence name');

  await b.ra.fire(onB, PongEvent, { n: 2 });
  assert.deepEqual(pongs, ['caller@2023-11-14T22:13:20.000Z'], 'the child entity, with its Date CMP field, receives events on the node that took over');
  assert.equal(await b.ra.fire(onB, PingEvent, { n: 3 }), false);
  assert.equal(rootB.cmp.events, 3);

  b.ra.endActivity(onB);
  let left: string[] = [];
  await waitUntil(
    async () => (left = await a.store.redis.keys(`sleet:${cluster}:*`)).length === 0,
    () => `the ended activity and its removed tree to leave Redis: ${left.join(', ')}`,
  );
});
