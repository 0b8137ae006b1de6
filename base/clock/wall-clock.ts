import { SystemClock } from './system-clock.js';

/**
 * The SLEE's clock: wall-clock `now()` (timer start times, alarms and
 * notifications are epoch times), timers that never hold a stopped node
 * open, and a callback's error escaping as a plain timer's would, to the
 * node's crash guard.
 */
export function wallClock(): SystemClock {
  return new SystemClock({
    ref: false,
    wallTime: true,
    onError: (err) =>
      process.nextTick(() => {
        throw err;
      }),
  });
}
