import 'reflect-metadata';
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { Slee } from '../../slee/container/slee.js';
import { BullTimerBackend } from '../../slee/facilities/timer/bull-timer-backend.js';
import { DirectResourceAdaptor } from '../../resource-adaptors/direct/direct-resource-adaptor.js';
import type { SbbClass } from '../../slee/deployment/sbb-component.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { REDIS_URL, inspectQueue, redisAvailable, removeQueue, uniqueQueueName, waitUntil } from './redis-for-tests.js';
import { AlarmClockSbb, CancelTimerEvent, SetTimerEvent, WakeUpBookingSbb, WakeUpCallSbb, received, setTimers } from './timer-test-services.js';

beforeEach(() => {
  received.length = 0;
  setTimers.length = 0;
});

async function startSlee(queueName: string, services: SbbClass[]) {
  const backend = new BullTimerBackend({ redisUrl: REDIS_URL, queueName });
  const slee = new Slee({ logger: silentLogger(), timerBackend: backend });
  const ra = new DirectResourceAdaptor([SetTimerEvent, CancelTimerEvent]);
  await slee.createResourceAdaptorEntity('timers', ra);
  await slee.activateResourceAdaptorEntity('timers');
  for (const service of services) slee.activateService(slee.installService(service));
  await slee.start();
  return { slee, ra, backend };
}

async function liveRecords(queueName: string, recordsKey: string): Promise<number> {
  const queue = inspectQueue(queueName);
  try {
    return await queue.client.hlen(recordsKey);
  } finally {
    await queue.close();
  }
}

test('a bull timer fires through the SLEE on the activity it was set on, with its address and payload', async (t) => {
  if (!(await redisAvailable(t))) return;
  const queueName = uniqueQueueName();
  const { slee, ra, backend } = await startSlee(queueName, [AlarmClockSbb]);
  try {
    const activity = ra.startActivity();
    await ra.fire(activity, SetTimerEvent, { delay: 200, address: 'sip:alice@example.com', payload: { room: 101 } });
    assert.equal(await backend.size(), 1, 'the timer is stored in Redis');
    await waitUntil(() => received.length === 1, 'the timer event');
    const [{ event, activityContextId, by }] = received as [(typeof received)[number]];
    assert.equal(by, 'alarm-clock');
    assert.equal(activityContextId, `timers/${activity.handle}`);
    assert.equal(event.timerId, setTimers[0]);
    assert.equal(event.address, 'sip:alice@example.com');
    assert.deepEqual(event.payload, { room: 101 });
    assert.equal(event.remainingRepetitions, 0);
    await waitUntil(async () => (await backend.size()) === 0, 'the fired one-shot timer to be forgotten');
  } finally {
    await slee.stop();
    await removeQueue(queueName, backend.recordsKey);
  }
});

test('a periodic bull timer fires each of its repetitions once, then is gone', async (t) => {
  if (!(await redisAvailable(t))) return;
  const queueName = uniqueQueueName();
  const { slee, ra, backend } = await startSlee(queueName, [AlarmClockSbb]);
  try {
    const activity = ra.startActivity();
    await ra.fire(activity, SetTimerEvent, { delay: 100, period: 150, repetitions: 3, preserveMissed: 'ALL' });
    await waitUntil(() => received.length === 3, 'three expiries');
    await waitUntil(async () => (await backend.size()) === 0, 'the finished timer to be forgotten');
    await slee.idle();
    const events = received.map((r) => r.event);
    assert.equal(events.length, 3, 'no expiry beyond the repetitions');
    assert.deepEqual(
      events.map((e) => e.remainingRepetitions),
      [2, 1, 0],
    );
    const first = events[0]!.scheduledTime;
    assert.deepEqual(
      events.map((e) => e.scheduledTime),
      [first, first + 150, first + 300],
    );
    assert.ok(events.every((e) => e.timerId === setTimers[0] && e.period === 150 && e.numRepetitions === 3));
  } finally {
    await slee.stop();
    await removeQueue(queueName, backend.recordsKey);
  }
});

test('a cancelled bull timer never fires, while a later one does', async (t) => {
  if (!(await redisAvailable(t))) return;
  const queueName = uniqueQueueName();
  const { slee, ra, backend } = await startSlee(queueName, [AlarmClockSbb]);
  try {
    const cancelled = ra.startActivity();
    await ra.fire(cancelled, SetTimerEvent, { delay: 300 });
    await ra.fire(cancelled, CancelTimerEvent, {});
    const control = ra.startActivity();
    await ra.fire(control, SetTimerEvent, { delay: 600 });
    await waitUntil(() => received.length > 0, 'the control timer');
    assert.deepEqual(
      received.map((r) => r.event.timerId),
      [setTimers[1]],
      'only the control timer fired',
    );
    await waitUntil(async () => (await backend.size()) === 0, 'no live timer left');
  } finally {
    await slee.stop();
    await removeQueue(queueName, backend.recordsKey);
  }
});

test('a bull timer set before a restart fires after it on a null activity; one cancelled before the restart does not', async (t) => {
  if (!(await redisAvailable(t))) return;
  const queueName = uniqueQueueName();
  const first = await startSlee(queueName, [WakeUpBookingSbb]);
  const recordsKey = first.backend.recordsKey;
  try {
    const bob = first.ra.startActivity();
    await first.ra.fire(bob, SetTimerEvent, { delay: 900, address: 'sip:bob@example.com', payload: { room: 7 } });
    await first.ra.fire(bob, CancelTimerEvent, {});
    const alice = first.ra.startActivity();
    await first.ra.fire(alice, SetTimerEvent, { delay: 1300, address: 'sip:alice@example.com', payload: { room: 101 } });
    await first.slee.stop();
    assert.equal(await liveRecords(queueName, recordsKey), 1, 'the SLEE stopping kept the live timer and dropped the cancelled one');

    const second = await startSlee(queueName, [WakeUpCallSbb]);
    try {
      await waitUntil(() => received.length > 0, 'the wake-up call after the restart');
      await second.slee.idle();
      assert.equal(received.length, 1, 'only the timer that was not cancelled fired');
      const [{ event, activityContextId, by }] = received as [(typeof received)[number]];
      assert.equal(by, 'wake-up-call');
      assert.equal(event.timerId, setTimers[1]);
      assert.equal(event.address, 'sip:alice@example.com');
      assert.deepEqual(event.payload, { room: 101 });
      assert.match(activityContextId, /^slee:null-activity\//, 'delivered on a fresh null activity');
      await waitUntil(async () => (await second.backend.size()) === 0, 'the fired timer to be forgotten');
    } finally {
      await second.slee.stop();
    }
  } finally {
    await removeQueue(queueName, recordsKey);
  }
});
