/** The one source of time for SLEE facilities, so tests can drive time themselves. */
export interface Clock {
  now(): number;
  schedule(delayMs: number, fn: () => void): unknown;
  cancel(handle: unknown): void;
}
