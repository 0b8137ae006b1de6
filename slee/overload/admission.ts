/** What a resource adaptor asks before it takes on new work (an out-of-dialog request, a new HTTP request). */
export interface Admission {
  /** True to take the work; false to refuse it cheaply (SIP 503, HTTP 503) with `retryAfterSeconds`. */
  admit(): boolean;
  readonly retryAfterSeconds: number;
  /** Share of new work being refused, 0..1 (RFC 7339's loss-based reduction). */
  readonly rejectFraction: number;
}
