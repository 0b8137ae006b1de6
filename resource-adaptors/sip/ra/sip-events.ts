import type { SipRequest, SipResponse } from '../message/index.js';
import type { MessageSource } from '../transport/index.js';
import type { DialogTerminationReason } from '../dialog/index.js';
import type { ActivityEvent } from '../../../slee/activity/activity-of.js';
import type { ServerTransactionActivity } from './server-transaction-activity.js';
import type { ClientTransactionActivity } from './client-transaction-activity.js';
import type { DialogActivity } from './dialog-activity.js';
import type { InDialogRequest } from './in-dialog-request.js';
import type { B2buaActivity } from './b2bua-activity.js';
import type { B2buaState, BridgeEnd } from '../b2bua/index.js';
import type { BridgeActivity } from './bridge-activity.js';
import type { SubscriptionEndReason } from '../subscription/index.js';
import type { SubscriptionActivity } from './subscription-activity.js';

/**
 * An out-of-dialog request (`onInvite`, `onRegister`...), on its server-transaction
 * activity: answer or proxy it through `transaction`. In-dialog requests are other
 * event types (`onDialogInvite`, `onDialogBye`...): see DialogRequestEvent.
 */
export interface SipRequestEvent extends ActivityEvent<ServerTransactionActivity> {
  readonly request: SipRequest;
  /** Where it came from (for a CANCEL, its INVITE's source: the CANCEL comes the same way). */
  readonly source: MessageSource;
  readonly transaction: ServerTransactionActivity;
}

/** A request inside a dialog (re-INVITE, UPDATE, INFO, MESSAGE, REFER...), on the dialog's activity: answer it through `transaction`. */
export interface DialogRequestEvent extends ActivityEvent<DialogActivity> {
  readonly request: SipRequest;
  readonly source: MessageSource;
  readonly transaction: InDialogRequest;
  readonly dialog: DialogActivity;
}

/** The ACK or the BYE of a dialog (`onDialogAck`, `onDialogBye`), on its activity: the stack answers the BYE, an ACK has no answer. */
export interface DialogAckOrByeEvent extends ActivityEvent<DialogActivity> {
  readonly request: SipRequest;
  readonly dialog: DialogActivity;
}

export interface SipResponseEvent extends ActivityEvent<ClientTransactionActivity | DialogActivity> {
  readonly response: SipResponse;
  readonly transaction: ClientTransactionActivity | null;
  readonly dialog: DialogActivity | null;
}

export interface TransactionTimeoutEvent extends ActivityEvent<ClientTransactionActivity> {
  readonly transaction: ClientTransactionActivity;
  readonly request: SipRequest;
}

export interface DialogTerminatedEvent extends ActivityEvent<DialogActivity> {
  readonly dialog: DialogActivity;
  readonly reason: DialogTerminationReason;
}

export interface ProxyResponseEvent extends ActivityEvent<ServerTransactionActivity> {
  readonly response: SipResponse;
  readonly transaction: ServerTransactionActivity;
  /** The status of each branch's final response so far (e.g. to tell busy from no answer). */
  readonly branchStatuses: readonly number[];
}

export interface B2buaStateChangedEvent extends ActivityEvent<B2buaActivity> {
  readonly call: B2buaActivity;
  readonly state: B2buaState;
  /** Why the call ended, once terminated: a leg's failure status or 'bye'. */
  readonly reason: string | null;
}

/** A bridge's outbound leg answered; the caller got its 2xx. */
export interface BridgeAnsweredEvent extends ActivityEvent<BridgeActivity> {
  readonly bridge: BridgeActivity;
  readonly response: SipResponse;
  /** Who answered: the To URI of the winning leg. */
  readonly callee: string;
}

/** No leg answered: the caller got `status` (487 when it cancelled, 480 on no answer). */
export interface BridgeFailedEvent extends ActivityEvent<BridgeActivity> {
  readonly bridge: BridgeActivity;
  readonly status: number;
  readonly reason: string;
}

/** An answered bridge ended: `by` the caller's leg, the callee's, or `local` hangup(); both legs got BYE. */
export interface BridgeEndedEvent extends ActivityEvent<BridgeActivity> {
  readonly bridge: BridgeActivity;
  readonly by: BridgeEnd['by'];
  readonly reason: DialogTerminationReason;
}

export interface SubscriptionRefreshedEvent {
  readonly subscription: SubscriptionActivity;
  /** The expiry granted, seconds. */
  readonly expires: number;
  readonly request: SipRequest;
}

export interface SubscriptionTerminatedEvent {
  readonly subscription: SubscriptionActivity;
  /** `timeout`, `unsubscribed`, `request-failed`, `closed`, or the reason the SBB gave `terminate`. */
  readonly reason: SubscriptionEndReason;
}
