/**
 * A resource that takes part in a SLEE transaction beside the container's
 * own state (CMP fields, attachments, fired events). The profile facility
 * enlists one for SBB profile writes, so they commit with the event.
 *
 * Commit order: every `prepare`, then every `commitDurably`, then the
 * container's in-memory commit and every `commit`, which cannot fail. A
 * failure in the first two phases rolls the whole transaction back, so when
 * the SLEE reports a commit, durable resources already hold the change.
 */
export interface TransactionParticipant {
  /** Check and stage the change (e.g. apply writes in an open database transaction); throw to roll the whole transaction back. */
  prepare?(): Promise<void> | void;
  /**
   * Make the prepared change durable (e.g. the database COMMIT); throw to
   * roll the whole transaction back. Runs in enlistment order: there is no
   * two-phase commit between two such participants, so a failure of the
   * second leaves the first committed. Sleet enlists at most one per transaction.
   */
  commitDurably?(): Promise<void> | void;
  /** Called after the durable commit, with the in-memory commit; must not fail. */
  commit(): void;
  /** Called when the transaction is discarded; must not fail. */
  rollback(): void;
}
