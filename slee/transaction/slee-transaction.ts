import type { TransactionParticipant } from './transaction-participant.js';

/** What facilities and resource adaptors see of the transaction an event delivery runs in. */
export interface SleeTransaction {
  readonly id: number;
  readonly rollbackOnly: boolean;
  /** Per-transaction scratch space for facilities, keyed by a symbol each facility owns. */
  readonly attachments: Map<symbol, unknown>;
  enlist(participant: TransactionParticipant): void;
  setRollbackOnly(): void;
}
