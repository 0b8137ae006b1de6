import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { busyPercent, cpuTimes, machineBusyPercent } from '../../bench/machine-busy.js';

const STAT = (user: number, idle: number) => `cpu  ${user} 0 100 ${idle} 50 0 10 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 1\n`;

describe('machine busy probe', () => {
  it('counts idle and iowait as idle and everything else as busy', () => {
    assert.deepEqual(cpuTimes(STAT(1000, 5000)), { busy: 1110, total: 6160 });
  });

  it('gives the busy share of all cores between two readings', () => {
    assert.equal(busyPercent(cpuTimes(STAT(1000, 5000)), cpuTimes(STAT(1100, 5300))), 25);
    assert.equal(busyPercent(cpuTimes(STAT(1000, 5000)), cpuTimes(STAT(1000, 5000))), 0);
  });

  it('refuses text without the aggregate cpu line', () => {
    assert.throws(() => cpuTimes('cpu0 1 2 3 4\n'), /no aggregate cpu line/);
  });

  it('samples the running machine as a share between 0 and 100', async () => {
    const busy = await machineBusyPercent(50);
    if (busy === undefined) return; // no /proc/stat on this platform
    assert.ok(busy >= 0 && busy <= 100, `busy ${busy}%`);
  });
});
