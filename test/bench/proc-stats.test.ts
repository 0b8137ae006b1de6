import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
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

  it('counts the times the threads went to sleep: each wait for a timer is one more', async () => {
    const before = processSleeps(process.pid);
    for (let i = 0; i < 5; i++) await sleep(5);
    assert.ok(processSleeps(process.pid) - before >= 5);
  });
});
