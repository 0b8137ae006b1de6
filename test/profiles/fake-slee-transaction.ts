import { ErrorCode } from '../../slee/errors/error-codes.js';
import { SleetError } from '../../slee/errors/sleet-error.js';
import type { SleeTransaction } from '../../slee/transaction/slee-transaction.js';
import type { TransactionParticipant } from '../../slee/transaction/transaction-participant.js';

let nextId = 1;

/** Test double of the container's transaction: prepare all participants, then commit or roll back. */
export class FakeSleeTransaction implements SleeTransaction {
  readonly id = nextId++;
  rollbackOnly = false;
  readonly attachments = new Map<symbol, unknown>();
  private readonly participants: TransactionParticipant[] = [];

  enlist(participant: TransactionParticipant): void {
    if (!this.participants.includes(participant)) this.participants.push(participant);
  }

  setRollbackOnly(): void {
    this.rollbackOnly = true;
  }

  async commit(): Promise<void> {
    if (this.rollbackOnly) {
      this.rollback();
      throw new SleetError(ErrorCode.TRANSACTION_ROLLED_BACK, 'marked rollback-only');
    }
    try {
      for (const p of this.participants) await p.prepare?.();
    } catch (err) {
      this.rollback();
      throw new SleetError(ErrorCode.TRANSACTION_ROLLED_BACK, 'a participant failed to prepare', { cause: err });
    }
    for (const p of this.participants) p.commit();
  }

  rollback(): void {
    for (const p of this.participants) p.rollback();
  }
}
