import type { SipRequest, SipResponse } from '../message/index.js';
import type { MessageSource } from '../transport/index.js';
import type { DialogTerminationReason } from '../dialog/index.js';
import type { ServerTransactionActivity } from './server-transaction-activity.js';
import type { ClientTransactionActivity } from './client-transaction-activity.js';
import type { DialogActivity } from './dialog-activity.js';
import type { InDialogRequest } from './in-dialog-request.js';
import type { B2buaActivity } from './b2bua-activity.js';
import type { B2buaState } from '../b2bua/index.js';

/** A request: out of dialog on its server-transaction activity, in dialog on the dialog activity. */
export interface SipRequestEvent {
  readonly request: SipRequest;
  readonly source: MessageSource | null;
  /** Out-of-dialog requests: the activity to answer or proxy through. */
  readonly transaction: ServerTransactionActivity | null;
  /** In-dialog requests: answer through this (ACK and BYE need no answer). */
  readonly inDialog: InDialogRequest | null;
  readonly dialog: DialogActivity | null;
}

export interface SipResponseEvent {
  readonly response: SipResponse;
  readonly transaction: ClientTransactionActivity | null;
  readonly dialog: DialogActivity | null;
}

export interface TransactionTimeoutEvent {
  readonly transaction: ClientTransactionActivity;
  readonly request: SipRequest;
}

export interface DialogTerminatedEvent {
  readonly dialog: DialogActivity;
  readonly reason: DialogTerminationReason;
}

export interface ProxyResponseEvent {
  readonly response: SipResponse;
  readonly transaction: ServerTransactionActivity;
  /** The status of each branch's final response so far (e.g. to tell busy from no answer). */
  readonly branchStatuses: readonly number[];
}

export interface B2buaStateChangedEvent {
  readonly call: B2buaActivity;
  readonly state: B2buaState;
  /** Why the call ended, once terminated: a leg's failure status or 'bye'. */
  readonly reason: string | null;
}
