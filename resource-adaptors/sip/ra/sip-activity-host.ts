import type { EventType } from '../../../slee/component-model/event-type.js';
import type { SleeTransaction } from '../../../slee/transaction/slee-transaction.js';
import type { SipStack } from '../stack/index.js';
import type { Dialog } from '../dialog/index.js';
import type { DialogActivity } from './dialog-activity.js';
import type { NotifierSubscription } from '../subscription/index.js';
import type { SipRequest } from '../message/index.js';
import type { SubscriptionActivity } from './subscription-activity.js';

/** What the SIP activities need from the resource adaptor that owns them. */
export interface SipActivityHost {
  readonly stack: SipStack;
  startActivity(handle: string, activity: object): void;
  fire<E>(
    handle: string,
    type: EventType<E>,
    event: E,
    address?: string,
    onProcessed?: (failed: boolean, delivered: number, answeredBy?: string) => void,
    answered?: () => boolean,
  ): void;
  endActivity(handle: string): void;
  /** The transaction of the SBB handler now running on the activity's event, if any (see SleeEndpoint.deliveryTransaction). */
  deliveryTransaction(handle: string): SleeTransaction | undefined;
  /** True in a cluster: confirmed dialogs are replicated and taken over. */
  readonly clustered: boolean;
  /** Replicates an activity, its record carrying `state()` (see SleeEndpoint.replicateActivity). */
  replicate(handle: string, state: () => unknown): Promise<void>;
  /** Takes over an activity another node replicated, built by `rebuild` from the state it stored (see SleeEndpoint.adoptActivity). */
  adopt(handle: string, rebuild: (state: unknown) => object | null): Promise<boolean>;
  warn(message: string, err: unknown): void;
  /** The SLEE activity for a dialog, started on first use. */
  dialogActivity(dialog: Dialog): DialogActivity;
  /** The SLEE activity of a subscription just accepted from `request`. */
  subscriptionActivity(subscription: NotifierSubscription, request: SipRequest): SubscriptionActivity;
  nextHandle(prefix: string): string;
}
