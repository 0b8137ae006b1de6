import type { Clock } from './clock.js';

/** Wall-clock time and node's timers; timers are unref'd so they never keep a stopped SLEE alive. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  schedule(delayMs: number, fn: () => void): unknown {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    handle.unref();
    return handle;
  }

  cancel(handle: unknown): void {
    clearTimeout(handle as NodeJS.Timeout);
  }
}
