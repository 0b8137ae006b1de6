/** The kernel's running counts, read by management and benchmarks. */
export interface KernelStats {
  eventsFired: number;
  eventsDelivered: number;
  handlerFailures: number;
  /** Deliveries run again because their commit lost to a concurrent one. */
  transactionRetries: number;
  entitiesCreated: number;
  entitiesRemoved: number;
  activitiesStarted: number;
  activitiesEnded: number;
  /** Transactions of event deliveries (and sbbRolledBack) that committed. */
  commits: number;
  /** Deliveries rolled back: the handler threw, timed out, set rollback-only, or its commit failed. */
  rollbacks: number;
  /** Rollbacks because a handler did not settle within the handler timeout. */
  handlerTimeouts: number;
  /** Events delivered, by event type key: one Map update per event, read by metrics. */
  readonly deliveredByType: Map<string, number>;
}
