/**
 * A resource that takes part in a SLEE transaction beside the container's
 * own state (CMP fields, attachments, fired events). The profile facility
 * enlists one for SBB profile writes, so they commit with the event.
 */
export interface TransactionParticipant {
  /** Make the change durable, or throw to roll the whole transaction back. */
  prepare?(): Promise<void> | void;
  /** Called after every participant prepared; must not fail. */
  commit(): void;
  /** Called when the transaction is discarded; must not fail. */
  rollback(): void;
}
