import type { TransactionParticipant } from './transaction-participant.js';

/** What facilities and resource adaptors see of the transaction an event delivery runs in. */
export interface SleeTransaction {
  readonly id: number;
  readonly rollbackOnly: boolean;
  /** Per-transaction scratch space for facilities: what is kept under a symbol the facility owns. */
  attachment(key: symbol): unknown;
  setAttachment(key: symbol, value: unknown): void;
  enlist(participant: TransactionParticipant): void;
  setRollbackOnly(): void;
}
