import type { SipRequest } from '../message/index.js';
import type { NotifierSubscription, NotifyOptions, SubscriptionEndReason, SubscriptionState } from '../subscription/index.js';
import { addressOfRequest } from './address-of-request.js';

/**
 * One RFC 6665 subscription an SBB accepted (`transaction.acceptSubscription()`),
 * as a SLEE activity: `SubscriptionRefreshed` and `SubscriptionTerminated`
 * arrive on it, and it ends with the subscription. The stack answers
 * refreshes and unsubscribes and sends the terminating NOTIFY on expiry;
 * the SBB sends the resource's state with `notify()`.
 */
export class SubscriptionActivity {
  /** The subscribed resource's address of record (the SUBSCRIBE's To), e.g. `sip:bob@example.com`. */
  readonly resource: string;
  /** The watcher's address of record (the SUBSCRIBE's From). */
  readonly subscriber: string;

  constructor(
    readonly handle: string,
    readonly subscription: NotifierSubscription,
    request: SipRequest,
  ) {
    this.resource = addressOfRequest(request) ?? request.to.uri.toString();
    const from = request.from.uri.clone();
    from.params.clear();
    this.subscriber = from.toString();
  }

  /** The event package, e.g. `presence`. */
  get eventPackage(): string {
    return this.subscription.event.package;
  }

  get state(): SubscriptionState {
    return this.subscription.state;
  }

  /** Seconds left before the subscription expires. */
  get expires(): number {
    return this.subscription.expires;
  }

  get dialogId(): string {
    return this.subscription.dialog.id;
  }

  /** Sends a NOTIFY with the resource's state (`active` unless told `pending`). */
  notify(options: NotifyOptions = {}): void {
    this.subscription.notify(options);
  }

  /** Ends the subscription with a terminated NOTIFY (reason `noresource` unless told). */
  terminate(reason: SubscriptionEndReason = 'noresource', options: { body?: Buffer | string; contentType?: string } = {}): void {
    this.subscription.terminate(reason, options);
  }
}
