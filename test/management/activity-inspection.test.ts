import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import { TimerFacility } from '../../slee/facilities/timer/timer-facility.js';
import { ActivityContextNamingFacility } from '../../slee/facilities/naming/activity-context-naming-facility.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { deploy, PingEvent, type Ping } from '../helpers/core-fixture.js';
import { startManagementFixture } from './management-fixture.js';

@Service({ name: 'Inspected', vendor: 'test', version: '1.0' })
@Sbb()
class InspectedSbb {
  @Cmp() pings = 0;
  @Cmp() timerId = '';

  constructor(
    private readonly timers: TimerFacility,
    private readonly naming: ActivityContextNamingFacility,
  ) {}

  @InitialEvent({ select: ['ActivityContext'] })
  onPing(event: Ping, aci: ActivityContextInterface) {
    this.pings = event.n;
    this.timerId = this.timers.setTimer(aci, { delay: 600_000 });
    this.naming.bind(aci, 'inspected-room');
  }
}

test('one activity in full names its attached SBB entities and timers, so that an inspector can follow them', async (t) => {
  const f = await startManagementFixture();
  t.after(() => f.close());
  deploy(f.slee, InspectedSbb);
  const activity = f.ra.startActivity('inspect-1');
  await f.ra.fire(activity, PingEvent, { n: 7 });
  await f.slee.idle();

  const listed = (await f.client.activityList()).find((a) => a.handle === activity.handle)!;
  const one = await f.client.activityGet({ id: listed.id });
  assert.equal(one.entities?.length, 1);
  assert.deepEqual(one.names, ['inspected-room']);
  const entity = await f.client.entityGet({ entity: one.entities![0]! });
  assert.equal(entity.service.name, 'Inspected');
  assert.deepEqual(entity.attachments, [listed.id]);
  assert.equal(entity.cmp['pings'], 7);
  assert.deepEqual(one.timerIds, [entity.cmp['timerId']]);
  assert.equal(listed.entities, undefined, 'the list stays a summary');
});
