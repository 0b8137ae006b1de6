import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/clock/fake-clock.js';
import { InProcessTimerBackend } from '../../slee/facilities/timer/in-process-timer-backend.js';
import { TimerManager } from '../../slee/facilities/timer/timer-manager.js';
import type { ActivityContext } from '../../slee/activity/activity-context.js';

test('a timer expiry that cannot be fired is reported to onError (the SLEE alarms it), never thrown into the clock callback', () => {
  const clock = new FakeClock(0);
  const ac = { id: 'ac-1', state: 'active', timers: new Set<string>() } as unknown as ActivityContext;
  const manager = new TimerManager(clock, new InProcessTimerBackend(clock), {
    activityById: () => ac,
    fire: () => {
      throw new Error('the event queue refused it');
    },
    fireOnNewNullActivity: () => undefined,
  });
  const errors: Array<[string, string]> = [];
  manager.onError = (timerId, err) => errors.push([timerId, (err as Error).message]);
  assert.equal(manager.start(), undefined, 'the memory backend starts synchronously');
  const record = manager.createRecord(ac, { delay: 10 });
  manager.schedule(record, ac);
  assert.doesNotThrow(() => clock.advance(20));
  assert.deepEqual(errors, [[record.id, 'the event queue refused it']]);
});
