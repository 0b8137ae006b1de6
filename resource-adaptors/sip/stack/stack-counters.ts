/** Monotonic counters of what the stack refused before any handler saw it, for metrics. */
export class StackCounters {
  /** Requests failing the semantic checks (validateRequest): answered 400 (501 for an unknown method). */
  invalidRequests = 0;
  /** ACKs failing the same checks: dropped, since an ACK is never answered. */
  invalidAcks = 0;
}
