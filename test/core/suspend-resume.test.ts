import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import type { EventContext } from '../../slee/router/event-context.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { PingEvent, PongEvent, deploy, startCoreFixture, type Ping } from '../helpers/core-fixture.js';
import { turns } from '../helpers/turns.js';
import { FakeClock } from '../../base/clock/fake-clock.js';

const order: string[] = [];
let held: EventContext | null = null;

@Service({ priority: 10 })
@Sbb()
class DecidingSbb {
  @InitialEvent()
  onPing(event: Ping, _aci: ActivityContextInterface, context: EventContext) {
    order.push(`decide:${event.n}`);
    if (event.n === 1) {
      context.suspendDelivery();
      held = context;
    }
  }
}

@Service({ priority: 1 })
@Sbb()
class LaterSbb {
  @InitialEvent()
  onPing(event: Ping) {
    order.push(`later:${event.n}`);
  }

  onPong(event: Ping) {
    order.push(`pong:${event.n}`);
  }
}

test('a suspended event holds delivery to lower-priority SBBs and later events of its activity until resumed', async () => {
  order.length = 0;
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, DecidingSbb, LaterSbb);
  const activity = ra.startActivity();
  const other = ra.startActivity();
  const first = ra.fire(activity, PingEvent, { n: 1 });
  const second = ra.fire(activity, PingEvent, { n: 2 });
  const elsewhere = ra.fire(other, PingEvent, { n: 3 });
  await elsewhere;
  await sleep(20);
  assert.deepEqual(order, ['decide:1', 'decide:3', 'later:3'], 'other activities are not held');
  assert.ok(held?.isSuspended);
  held!.resumeDelivery();
  await Promise.all([first, second]);
  assert.deepEqual(order.slice(3), ['later:1', 'decide:2', 'later:2']);
  await close();
});

test("a suspended event resumes by itself when the SLEE's clock passes its timeout, whatever the wall clock does", async () => {
  order.length = 0;
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const { slee, ra, close } = await startCoreFixture({ suspendTimeoutMs: 30, clock });
  deploy(slee, DecidingSbb, LaterSbb);
  const delivered = ra.fire(ra.startActivity(), PingEvent, { n: 1 });
  await sleep(60);
  assert.deepEqual(order, ['decide:1'], 'the wall clock passed the timeout, the SLEE clock did not');
  clock.advance(29);
  await turns(5);
  assert.deepEqual(order, ['decide:1']);
  clock.advance(1);
  await delivered;
  assert.deepEqual(order, ['decide:1', 'later:1']);
  void PongEvent;
  await close();
});

@Service({ priority: 10 })
@Sbb()
class AsyncDecidingSbb {
  @InitialEvent()
  async onPing(event: Ping, _aci: ActivityContextInterface, context: EventContext) {
    await turns(1);
    order.push(`decide:${event.n}`);
    if (event.n === 1) {
      context.suspendDelivery();
      held = context;
    }
  }
}

test('an async handler that suspends delivery holds lower-priority SBBs and later events of its activity until resumed', async () => {
  order.length = 0;
  held = null as EventContext | null;
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, AsyncDecidingSbb, LaterSbb);
  const activity = ra.startActivity();
  const first = ra.fire(activity, PingEvent, { n: 1 });
  const second = ra.fire(activity, PingEvent, { n: 2 });
  await turns(10);
  assert.ok(held?.isSuspended, 'the async handler suspended its event');
  assert.deepEqual(order, ['decide:1'], 'the next SBB in priority order waits for resumeDelivery()');
  held!.resumeDelivery();
  await Promise.all([first, second]);
  assert.deepEqual(order, ['decide:1', 'later:1', 'decide:2', 'later:2']);
  await close();
});
