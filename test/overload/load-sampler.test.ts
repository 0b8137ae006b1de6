import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Clock, TimerHandle } from '../../base/clock/clock.js';
import type { LoadSample } from '../../slee/overload/load-sample.js';
import { LoadSampler } from '../../slee/overload/load-sampler.js';

/** A clock the test moves: schedule() keeps the one pending callback, fire() runs it at a chosen time. */
class ManualClock implements Clock {
  time = 1_000;
  pending: { deadline: number; fn: () => void } | undefined;
  now(): number {
    return this.time;
  }
  schedule(delayMs: number, fn: () => void): TimerHandle {
    this.pending = { deadline: this.time + delayMs, fn };
    return this.pending;
  }
  cancel(): void {
    this.pending = undefined;
  }
  fireLate(lateMs: number): void {
    const { deadline, fn } = this.pending!;
    this.time = deadline + lateMs;
    fn();
  }
}

test('the event-loop delay of a sample is how late the sampling tick itself ran: no timer of its own waking an idle node', () => {
  const clock = new ManualClock();
  const samples: LoadSample[] = [];
  const sampler = new LoadSampler(
    clock,
    100,
    () => 7,
    (sample) => samples.push(sample),
  );
  sampler.start();
  clock.fireLate(40);
  clock.fireLate(0);
  sampler.stop();
  assert.deepEqual(
    samples.map((s) => [s.delayMs, s.backlog]),
    [
      [40, 7],
      [0, 7],
    ],
  );
  assert.equal(clock.pending, undefined);
});
