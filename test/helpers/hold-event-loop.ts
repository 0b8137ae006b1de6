import { performance } from 'node:perf_hooks';

/**
 * Keeps the event loop from reading anything for `ms`, as a long burst of
 * work does. Measured on performance.now, the SIP stack's clock: Date.now's
 * whole milliseconds can end it early.
 */
export function holdEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}
