import { performance } from 'node:perf_hooks';
import { SystemClock } from '../base/clock/system-clock.js';
import type { BenchResult } from './bench-result.js';

interface Scheduler {
  schedule(delayMs: number, fn: () => void): unknown;
  cancel(handle: unknown): void;
}

const nodeTimers: Scheduler = {
  schedule: (delay, fn) => setTimeout(fn, delay),
  cancel: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * The SIP timer pattern: many timers armed (one or two per transaction),
 * most cancelled before they fire (a response stops A/B/E/F), the rest fire.
 */
async function measure(label: string, scheduler: Scheduler, count: number, cancelShare: number): Promise<Record<string, string | number>> {
  const delays = Array.from({ length: count }, (_, i) => 20 + ((i * 7919) % 80));
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let fired = 0;
  const expected = count - Math.floor(count * cancelShare);
  let done!: () => void;
  const allFired = new Promise<void>((resolve) => (done = resolve));
  const t0 = performance.now();
  const handles = delays.map((d) =>
    scheduler.schedule(d, () => {
      if (++fired === expected) done();
    }),
  );
  const t1 = performance.now();
  const heapArmed = process.memoryUsage().heapUsed;
  for (let i = 0; i < Math.floor(count * cancelShare); i++) scheduler.cancel(handles[i]);
  const t2 = performance.now();
  await allFired;
  const t3 = performance.now();
  return {
    scheduler: label,
    timers: count,
    'schedule ns/timer': Math.round(((t1 - t0) * 1e6) / count),
    'cancel ns/timer': Math.round(((t2 - t1) * 1e6) / Math.max(1, Math.floor(count * cancelShare))),
    'armed heap bytes/timer': Math.round((heapArmed - heapBefore) / count),
    'last fire lateness ms': Math.round(t3 - t0 - 99),
  };
}

export async function run(options: { quick?: boolean } = {}): Promise<BenchResult> {
  const count = options.quick ? 10_000 : 100_000;
  const cancelShare = 0.8;
  const clock = new SystemClock();
  const wheel: Scheduler = {
    schedule: (delay, fn) => clock.schedule(delay, fn),
    cancel: (handle) => clock.cancel(handle as ReturnType<SystemClock['schedule']>),
  };
  const rows = [];
  for (let round = 0; round < 2; round++) {
    // Two rounds: the first warms up both code paths.
    const a = await measure('setTimeout', nodeTimers, count, cancelShare);
    const b = await measure('SystemClock', wheel, count, cancelShare);
    if (round === 1) rows.push(a, b);
  }
  clock.close();
  return { name: 'sip-timers', rows, params: { count, cancelShare, delaysMs: '20..99' } };
}
