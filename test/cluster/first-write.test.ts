import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import type { DirectResourceAdaptor } from '../../resource-adaptors/direct/direct-resource-adaptor.js';
import type { DirectActivity } from '../../resource-adaptors/direct/direct-activity.js';
import { PingEvent, deploy, type Ping } from '../helpers/core-fixture.js';
import { redisAvailable } from '../timers/redis-for-tests.js';
import { removeClusterKeys, startClusterNode, uniqueClusterName } from './replication-fixture.js';

const runs: number[] = [];
let marking: { ra: DirectResourceAdaptor; activity: DirectActivity } | null = null;

/** Its handler marks the activity replicated (as a SIP dialog confirmed by answer() would be) and then changes its state. */
@Service({ name: 'MarksInHandler' })
@Sbb()
class MarksInHandlerSbb {
  @Cmp() label = '';

  @InitialEvent({ select: ['ActivityContext'] })
  onPing(event: Ping, aci: ActivityContextInterface) {
    runs.push(event.n);
    if (marking) void marking.ra.replicate(marking.activity);
    this.label = 'marked';
    aci.set('phase', 'confirmed');
  }
}

test('a transaction that changes an activity marked replicated while it runs waits for its first write, instead of conflicting with it and running the handler again', async (t) => {
  if (!(await redisAvailable(t))) return;
  const cluster = uniqueClusterName();
  const a = await startClusterNode(cluster);
  const b = await startClusterNode(cluster);
  t.after(async () => {
    await removeClusterKeys(a.store, cluster);
    await a.close();
    await b.close();
  });
  for (const node of [a, b]) deploy(node.slee, MarksInHandlerSbb);
  const activity = a.ra.startActivity('marked-1');
  marking = { ra: a.ra, activity };
  assert.equal(await a.ra.fire(activity, PingEvent, { n: 0 }), false);
  marking = null;
  assert.deepEqual(runs, [0], 'the handler ran once');
  const onB = await b.ra.adoptActivity('marked-1');
  assert.ok(onB, 'the activity was replicated');
  const acB = b.slee.kernel.activityOf(onB);
  assert.equal(acB.attributes.get('phase'), 'confirmed', 'with what the transaction committed');
  assert.equal([...acB.attached].length, 1, 'and its SBB entity');
});
