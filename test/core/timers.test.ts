import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import { TimerFacility } from '../../slee/facilities/timer/timer-facility.js';
import type { TimerEvent } from '../../slee/facilities/timer/timer-event.js';
import type { TimerOptions } from '../../slee/facilities/timer/timer-options.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { FakeClock } from '../../base/clock/fake-clock.js';
import { defineEventType } from '../../slee/component-model/event-type.js';
import { PongEvent, deploy, startCoreFixture } from '../helpers/core-fixture.js';
import { DirectResourceAdaptor } from '../../resource-adaptors/direct/direct-resource-adaptor.js';

const SetTimerEvent = defineEventType<TimerOptions>('test.SetTimer', { short: 'SetTimer' });
const fired: TimerEvent[] = [];

@Service()
@Sbb()
class AlarmClockSbb {
  @Cmp() timerId = '';

  constructor(private readonly timers: TimerFacility) {}

  @InitialEvent()
  onSetTimer(options: TimerOptions, aci: ActivityContextInterface) {
    this.timerId = this.timers.setTimer(aci, options);
  }

  onTimer(event: TimerEvent) {
    fired.push(event);
  }

  onPong() {
    this.timers.cancelTimer(this.timerId);
  }
}

async function setup() {
  fired.length = 0;
  const clock = new FakeClock(10_000);
  const fixture = await startCoreFixture({ clock });
  const ra = new DirectResourceAdaptor([SetTimerEvent]);
  await fixture.slee.createResourceAdaptorEntity('timers-test', ra);
  await fixture.slee.activateResourceAdaptorEntity('timers-test');
  deploy(fixture.slee, AlarmClockSbb);
  const activity = ra.startActivity();
  const step = async (ms: number) => {
    clock.advance(ms);
    await fixture.slee.idle();
  };
  return { ...fixture, clock, timerRa: ra, activity, step };
}

test('a periodic timer fires its repetitions on the activity, then stops', async () => {
  const { slee, timerRa, activity, step, close } = await setup();
  await timerRa.fire(activity, SetTimerEvent, { delay: 100, period: 100, repetitions: 3 });
  await step(99);
  assert.equal(fired.length, 0);
  for (let i = 0; i < 5; i++) await step(100);
  assert.deepEqual(
    fired.map((e) => [e.scheduledTime, e.remainingRepetitions, e.missedRepetitions]),
    [
      [10_100, 2, 0],
      [10_200, 1, 0],
      [10_300, 0, 0],
    ],
  );
  assert.equal(slee.kernel.activities.get(`timers-test/${activity.handle}`)!.timers.size, 0, 'the finished timer is forgotten');
  await close();
});

for (const [preserve, expected] of [
  ['NONE', [[10_500, 4]]],
  [
    'ALL',
    [
      [10_100, 0],
      [10_200, 0],
      [10_300, 0],
      [10_400, 0],
      [10_500, 0],
    ],
  ],
  [
    'LAST',
    [
      [10_400, 3],
      [10_500, 0],
    ],
  ],
] as const) {
  test(`expiries missed during a stall are handled per preserve-missed ${preserve}`, async () => {
    const { clock, timerRa, activity, step, close } = await setup();
    await timerRa.fire(activity, SetTimerEvent, { delay: 100, period: 100, repetitions: 0, timeout: 10, preserveMissed: preserve });
    clock.jump(450);
    await step(0);
    await step(50);
    assert.deepEqual(
      fired.map((e) => [e.scheduledTime, e.missedRepetitions]),
      expected,
    );
    await close();
  });
}

test('a one-shot timer fires once; a cancelled timer never fires', async () => {
  const { timerRa, activity, step, close } = await setup();
  await timerRa.fire(activity, SetTimerEvent, { delay: 500 });
  await step(1000);
  assert.equal(fired.length, 1);
  assert.equal(fired[0]!.period, null);
  const second = timerRa.startActivity();
  await timerRa.fire(second, SetTimerEvent, { delay: 500, period: 500 });
  await step(500);
  assert.equal(fired.length, 2);
  await close();
});

test('cancelTimer stops a periodic timer when the cancelling transaction commits', async () => {
  const { slee, timerRa, activity, step, close } = await setup();
  await timerRa.fire(activity, SetTimerEvent, { delay: 100, period: 100 });
  await step(250);
  assert.equal(fired.length, 2);
  slee.kernel.fire(slee.kernel.activityByHandle('timers-test', activity.handle)!, PongEvent, { n: 1 }, null, null);
  await slee.idle();
  await step(1000);
  assert.equal(fired.length, 2, 'no expiry after the cancel');
  await close();
});

test('timers of an activity are cancelled when it ends', async () => {
  const { slee, timerRa, activity, step, close } = await setup();
  await timerRa.fire(activity, SetTimerEvent, { delay: 100, period: 100 });
  timerRa.endActivity(activity);
  await slee.idle();
  await step(1000);
  assert.equal(fired.length, 0);
  await close();
});
