/** Opaque handle returned by `Clock.schedule`, passed back to `Clock.cancel`. */
export interface TimerHandle {
  /** When the timer is due, on the clock's timer scale: comparable between handles of one clock. */
  readonly deadline: number;
}

/**
 * The one source of time for the SLEE's facilities and every SIP protocol
 * timer, so tests drive timers, retransmissions and timeouts with a
 * `FakeClock` instead of waiting.
 */
export interface Clock {
  /** Milliseconds: since the epoch or on a monotonic scale, as the clock was made. */
  now(): number;
  schedule(delayMs: number, fn: () => void): TimerHandle;
  /** Cancelling a timer that already fired or was cancelled is a no-op. */
  cancel(handle: TimerHandle): void;
}
