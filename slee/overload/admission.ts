/** What a resource adaptor asks before it takes on new work (the SIP RA: a new out-of-dialog request). */
export interface Admission {
  /** True to take the work; false to refuse it cheaply (SIP: a stateless 503) with `retryAfterSeconds`. */
  admit(): boolean;
  readonly retryAfterSeconds: number;
  /** Share of new work being refused, 0..1 (RFC 7339's loss-based reduction). */
  readonly rejectFraction: number;
  /**
   * An adaptor's measure of how long new input waited before it was read
   * (a socket's kernel queue, which the event loop's own delay does not
   * show); the longest noted within a sample counts.
   */
  noteInputDelay(ms: number): void;
  /**
   * Calls `listener` at each load sample, before the sample is judged: an
   * adaptor measuring its input wait does it there, in the sampler's own
   * wake-up rather than on a timer of its own. Returns what stops it.
   */
  onSample(listener: () => void): () => void;
}
