/** One look at how busy the node was over the last sampling interval. */
export interface LoadSample {
  /** Share of the interval the event loop was busy, 0..1. */
  readonly utilisation: number;
  /** p99 event-loop delay over the interval, ms. */
  readonly delayMs: number;
  /** Events queued or in delivery. */
  readonly backlog: number;
}
