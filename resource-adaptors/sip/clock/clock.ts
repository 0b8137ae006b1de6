/** Opaque handle returned by `Clock.schedule`, passed back to `Clock.cancel`. */
export interface TimerHandle {
  readonly deadline: number;
}

/**
 * The single time source behind every SIP protocol timer, so tests can
 * drive retransmissions and timeouts deterministically with a fake clock.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale (not wall-clock time). */
  now(): number;
  schedule(delayMs: number, fn: () => void): TimerHandle;
  /** Cancelling a timer that already fired or was cancelled is a no-op. */
  cancel(handle: TimerHandle): void;
}
