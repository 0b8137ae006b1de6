import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import type { InitialEventSelector } from '../../slee/component-model/initial-event-select.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { PingEvent, deploy, type Ping } from '../helpers/core-fixture.js';
import { redisAvailable } from '../timers/redis-for-tests.js';
import { removeClusterKeys, startClusterNode, uniqueClusterName } from './replication-fixture.js';

const handled: number[] = [];

/** One root per call (a custom convergence name), as a SIP service keyed by Call-ID: the last event of the call lets it go. */
@Service({ name: 'ConvergedCall' })
@Sbb()
class ConvergedCallSbb {
  byCall(selector: InitialEventSelector<Ping>): InitialEventSelector<Ping> {
    return { ...selector, selected: new Set(), customName: 'call-1' };
  }

  @InitialEvent({ selector: 'byCall' })
  onPing(event: Ping, aci: ActivityContextInterface) {
    handled.push(event.n);
    if (event.n === 1) aci.detach();
  }
}

test('an event that reaches a converged root as attached, whose handler lets it go, creates no second root once commits wait on Redis', async (t) => {
  if (!(await redisAvailable(t))) return;
  const cluster = uniqueClusterName();
  const node = await startClusterNode(cluster);
  t.after(async () => {
    await removeClusterKeys(node.store, cluster);
    await node.close();
  });
  deploy(node.slee, ConvergedCallSbb);
  const call = node.ra.startActivity('converged-1');
  assert.equal(await node.ra.fire(call, PingEvent, { n: 0 }), false);
  await node.ra.replicate(call);
  assert.equal(await node.ra.fire(call, PingEvent, { n: 1 }), false);
  await node.slee.idle();
  assert.deepEqual(handled, [0, 1], 'the last event is handled once, by the root that took the first');
  const service = node.slee.listServices().find((s) => s.id.name === 'ConvergedCall');
  assert.equal(service?.rootEntities, 0, 'no stray root is left for the call');
});
