import type { SleeTransaction } from '../../slee/transaction/slee-transaction.js';
import type { ProfileRecord } from '../storage/profile-record.js';
import type { ProfileWrite } from '../storage/profile-write.js';
import type { TransactionParticipant } from '../../slee/transaction/transaction-participant.js';

/** The facility's key among the transaction's attachments; owned by the profile facility alone. */
const TRANSACTION_VIEW = Symbol('sleet:profile-facility:view');

/** What one SLEE transaction has read and written through the profile facility. */
export interface TransactionView {
  /** Results already read in this transaction, so repeated reads see the same value. */
  readonly reads: Map<string, unknown>;
  /** The version of each profile (`table\0name`) when this transaction first read it; its writes must find that version. */
  readonly versions: Map<string, number>;
  /** This transaction's uncommitted profiles by table and name (null = removed); made by its first write, as most transactions only read. */
  overlay: Map<string, Map<string, ProfileRecord | null>> | null;
  readonly writes: ProfileWrite[];
  participant?: TransactionParticipant;
  /** Set once the transaction started committing: later writes would be lost, so they are refused. */
  sealed?: boolean;
}

export function transactionView(tx: SleeTransaction): TransactionView {
  let view = tx.attachment(TRANSACTION_VIEW) as TransactionView | undefined;
  if (!view) {
    view = { reads: new Map(), versions: new Map(), overlay: null, writes: [] };
    tx.setAttachment(TRANSACTION_VIEW, view);
  }
  return view;
}
