import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClock } from '../../base/clock/fake-clock.js';
import { SystemClock } from '../../base/clock/system-clock.js';

describe('FakeClock', () => {
  it('fires due timers in deadline order, ties in scheduling order, with now() at each deadline', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    clock.schedule(30, () => fired.push(`c@${clock.now()}`));
    clock.schedule(10, () => fired.push(`a@${clock.now()}`));
    clock.schedule(10, () => fired.push(`b@${clock.now()}`));
    clock.schedule(31, () => fired.push('late'));
    clock.advance(30);
    assert.deepEqual(fired, ['a@10', 'b@10', 'c@30']);
    assert.equal(clock.now(), 30);
    assert.equal(clock.pending, 1);
  });

  it('fires timers scheduled by callbacks inside the advanced window', () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    const chain = (): void => {
      fired.push(clock.now());
      clock.schedule(100, chain);
    };
    clock.schedule(100, chain);
    clock.advance(350);
    assert.deepEqual(fired, [100, 200, 300]);
  });

  it('cancel removes a timer; cancelling twice or after firing is harmless', () => {
    const clock = new FakeClock();
    let count = 0;
    const handles = Array.from({ length: 50 }, (_, i) => clock.schedule(i, () => count++));
    for (let i = 0; i < 50; i += 2) clock.cancel(handles[i]!);
    clock.cancel(handles[0]!);
    clock.advance(100);
    assert.equal(count, 25);
    clock.cancel(handles[1]!);
    assert.equal(clock.pending, 0);
  });

  it('jump moves time without firing; the next advance fires what is overdue without moving now() back', () => {
    const clock = new FakeClock(1000);
    const fired: number[] = [];
    clock.schedule(100, () => fired.push(clock.now()));
    clock.schedule(300, () => fired.push(clock.now()));
    clock.jump(250);
    assert.deepEqual(fired, []);
    clock.advance(0);
    assert.deepEqual(fired, [1250]);
    clock.advance(100);
    assert.deepEqual(fired, [1250, 1300]);
  });
});

describe('SystemClock', () => {
  it('fires in deadline order through one node timer and forgets cancelled timers', async () => {
    const clock = new SystemClock();
    const fired: number[] = [];
    const deadlines = new Map<number, number>();
    await new Promise<void>((resolve) => {
      deadlines.set(15, clock.schedule(15, () => fired.push(15)).deadline);
      const cancelled = clock.schedule(5, () => fired.push(5));
      deadlines.set(1, clock.schedule(1, () => fired.push(1)).deadline);
      clock.schedule(40, resolve);
      clock.cancel(cancelled);
    });
    // Expected order comes from the recorded deadlines: a stalled test process may space the schedule calls out.
    assert.deepEqual(
      fired,
      [...deadlines.keys()].sort((a, b) => deadlines.get(a)! - deadlines.get(b)!),
    );
    assert.equal(clock.pending, 0);
  });

  it('keeps firing after a callback throws, reporting the error', async () => {
    const errors: unknown[] = [];
    const clock = new SystemClock({ onError: (e) => errors.push(e) });
    await new Promise<void>((resolve) => {
      clock.schedule(1, () => {
        throw new Error('boom');
      });
      clock.schedule(2, resolve);
    });
    assert.equal(errors.length, 1);
  });

  it("a timer beyond setTimeout's range neither fires at once nor re-arms in a loop", async () => {
    const clock = new SystemClock();
    const realSetTimeout = globalThis.setTimeout;
    let arms = 0;
    globalThis.setTimeout = ((fn: () => void, ms?: number) => {
      arms++;
      return realSetTimeout(fn, ms);
    }) as typeof setTimeout;
    let fired = false;
    try {
      clock.schedule(2 ** 31 + 60_000, () => (fired = true));
      await new Promise((r) => realSetTimeout(r, 20));
    } finally {
      globalThis.setTimeout = realSetTimeout;
      clock.close();
    }
    assert.equal(fired, false);
    assert.equal(arms, 1);
  });

  it('with wallTime, now() is epoch time', () => {
    const before = Date.now();
    const now = new SystemClock({ wallTime: true }).now();
    assert.ok(now >= before && now <= Date.now(), `${now} is not between ${before} and now`);
  });

  it('close drops pending timers', async () => {
    const clock = new SystemClock();
    let fired = false;
    clock.schedule(1, () => (fired = true));
    clock.close();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(fired, false);
    assert.equal(clock.pending, 0);
  });
});
