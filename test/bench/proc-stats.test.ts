import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { processCpuMs, processCpuSplitMs, processSleeps } from '../../bench/sip-load/proc-stats.js';

describe("the benches' reading of a process from /proc", () => {
  it('splits CPU time into user and system time that add up to the total', () => {
    const deadline = Date.now() + 50;
    while (Date.now() < deadline) Math.sqrt(Math.random());
    const { userMs, systemMs } = processCpuSplitMs(process.pid);
    assert.ok(userMs > 0);
    assert.ok(systemMs >= 0);
    // The total is read after the split, so it can only have grown since, by at most a few clock ticks.
    const total = processCpuMs(process.pid);
    assert.ok(total >= userMs + systemMs && total - (userMs + systemMs) < 100, `${total} against ${userMs} + ${systemMs}`);
  });

  it('counts the times the threads went to sleep: each blocking wait is one more', () => {
    // A futex wait with a timeout always blocks the thread. A timer awaited on the event loop may not: on a loaded
    // machine it can be due before the loop polls, and the loop then does not sleep (seen in CI).
    const word = new Int32Array(new SharedArrayBuffer(4));
    const before = processSleeps(process.pid);
    for (let i = 0; i < 5; i++) assert.equal(Atomics.wait(word, 0, 0, 5), 'timed-out');
    assert.ok(processSleeps(process.pid) - before >= 5);
  });
});
