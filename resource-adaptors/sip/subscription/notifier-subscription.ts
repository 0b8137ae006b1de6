import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../../../base/clock/clock.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { Dialog, DialogLayer } from '../dialog/index.js';
import { buildResponse } from '../dialog/index.js';
import type { SipRequest } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import { eventHeaderOf, formatEventHeader, type EventHeader } from './event-header.js';

export type SubscriptionState = 'pending' | 'active' | 'terminated';

/**
 * Why a subscription ended: `timeout` it expired unrefreshed, `unsubscribed`
 * the subscriber sent Expires: 0 (or fetched once), `request-failed` a
 * NOTIFY got 408/481 or the dialog went away, `closed` the stack closed; any
 * other reason is the notifier's, as given to `terminate` (RFC 6665 §4.1.3:
 * `noresource`, `rejected`, `deactivated`, `probation`, `giveup`).
 */
export type SubscriptionEndReason = string;

export interface NotifierSubscriptionEvents {
  /** A refreshing SUBSCRIBE was answered 200 with the expiry granted, and the last state re-sent (RFC 6665 §4.2.1.2). */
  refreshed: [expires: number, request: SipRequest];
  terminated: [reason: SubscriptionEndReason];
}

export interface AcceptSubscriptionOptions {
  /** 200 (default) or 202 (RFC 6665 §4.2.1.1 keeps 202 for older subscribers). */
  status?: 200 | 202;
  /** `pending` while the subscriber is not yet authorised (RFC 6665 §4.1.3). */
  state?: 'active' | 'pending';
  /** The longest subscription granted, seconds (default 3600); a longer Expires is cut down to it. */
  maxExpires?: number;
  /** Without an Expires header (RFC 6665 §4.1.2.1: the package's default; 3600 for presence, RFC 3856 §6.4). */
  defaultExpires?: number;
  /** The first NOTIFY (RFC 6665 §4.2.1.2: sent at once on acceptance), with the resource's current state. */
  body?: Buffer | string;
  contentType?: string;
}

export interface NotifyOptions {
  body?: Buffer | string;
  contentType?: string;
  state?: 'active' | 'pending';
}

/**
 * The notifier's side of one RFC 6665 subscription in its own SUBSCRIBE
 * dialog: answers the SUBSCRIBE, sends NOTIFYs with Subscription-State and
 * the remaining expiry, answers refreshes (200, Expires, and the last state
 * NOTIFYed again), and ends the subscription with a terminated NOTIFY on
 * unsubscribe, on expiry (timer on the stack's clock) or when told to.
 */
export class NotifierSubscription extends EventEmitter<NotifierSubscriptionEvents> {
  state: SubscriptionState;
  private expiresAt = 0;
  private timer?: TimerHandle;
  private last: NotifyOptions = {};
  /** Expires: 0 was asked: the next NOTIFY is the last. */
  private ending = false;

  private constructor(
    readonly dialog: Dialog,
    private readonly clock: Clock,
    readonly event: EventHeader,
    state: 'active' | 'pending',
    private readonly limits: { maxExpires: number; defaultExpires: number },
  ) {
    super();
    this.state = state;
    dialog.on('request', (request, tx) => this.receive(request, tx));
    dialog.on('terminated', () => this.end('request-failed', false));
  }

  /**
   * Accepts an out-of-dialog SUBSCRIBE: its dialog is created and
   * confirmed, and the first NOTIFY sent. Throws SIP_DIALOG for a request
   * that is not a SUBSCRIBE with an Event header.
   */
  static accept(dialogs: DialogLayer, tx: ServerTransaction, options: AcceptSubscriptionOptions = {}): NotifierSubscription {
    const request = tx.request;
    const event = request.method === 'SUBSCRIBE' ? eventHeaderOf(request) : undefined;
    if (event === undefined) throw new SleetError(ErrorCode.SIP_DIALOG, `only a SUBSCRIBE with an Event header creates a subscription, not ${request.method}`);
    const limits = { maxExpires: options.maxExpires ?? 3600, defaultExpires: options.defaultExpires ?? 3600 };
    const granted = Math.min(request.expires ?? limits.defaultExpires, limits.maxExpires);
    const dialog = dialogs.uasDialog(tx);
    const subscription = new NotifierSubscription(dialog, dialogs.clock, event, options.state ?? 'active', limits);
    dialog.respond(tx, options.status ?? 200, { headers: { Expires: String(granted) } });
    subscription.extend(granted);
    subscription.notify({
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
    });
    return subscription;
  }

  /** Seconds left before the subscription expires (0 once terminated). */
  get expires(): number {
    if (this.state === 'terminated') return 0;
    return Math.max(0, Math.ceil((this.expiresAt - this.clock.now()) / 1000));
  }

  get isTerminated(): boolean {
    return this.state === 'terminated';
  }

  /** Sends the resource's state (RFC 6665 §4.2.2); after an unsubscribe this is the terminating NOTIFY. */
  notify(options: NotifyOptions = {}): void {
    if (this.state === 'terminated') throw new SleetError(ErrorCode.SIP_DIALOG, `the ${this.event.package} subscription has ended`);
    if (options.state !== undefined) this.state = options.state;
    if (options.body !== undefined) this.last = { body: options.body, ...(options.contentType === undefined ? {} : { contentType: options.contentType }) };
    if (this.ending) {
      this.sendNotify('terminated;reason=timeout', this.last);
      this.end('unsubscribed', true);
      return;
    }
    this.sendNotify(`${this.state};expires=${this.expires}`, this.last);
  }

  /** Ends the subscription with a terminated NOTIFY (RFC 6665 §4.2.2.3), carrying `options.body` when given. */
  terminate(reason: SubscriptionEndReason = 'noresource', options: { body?: Buffer | string; contentType?: string } = {}): void {
    if (this.state === 'terminated') return;
    this.sendNotify(`terminated;reason=${reason}`, options.body === undefined ? {} : options);
    this.end(reason, true);
  }

  private receive(request: SipRequest, tx: ServerTransaction): void {
    if (request.method !== 'SUBSCRIBE') {
      tx.respond(buildResponse(request, 405, { headers: { Allow: 'SUBSCRIBE' } }));
      return;
    }
    let event: EventHeader | undefined;
    try {
      event = eventHeaderOf(request);
    } catch {
      event = undefined;
    }
    if (event === undefined || event.package !== this.event.package || event.id !== this.event.id) {
      // RFC 6665 §4.2.1.2: a refresh names the subscription it refreshes.
      this.dialog.respond(tx, 489, { reason: 'Bad Event', headers: { 'Allow-Events': this.event.package } });
      return;
    }
    const granted = Math.min(request.expires ?? this.limits.defaultExpires, this.limits.maxExpires);
    this.dialog.respond(tx, 200, { headers: { Expires: String(granted) } });
    if (granted === 0) {
      this.ending = true;
      this.notify();
      return;
    }
    this.extend(granted);
    this.notify();
    this.emit('refreshed', granted, request);
  }

  private extend(seconds: number): void {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
    this.expiresAt = this.clock.now() + seconds * 1000;
    // A fetch (Expires: 0) ends with its first NOTIFY (RFC 6665 §4.4.3).
    if (seconds === 0) this.ending = true;
    else this.timer = this.clock.schedule(seconds * 1000, () => this.expire());
  }

  private expire(): void {
    this.timer = undefined;
    if (this.state === 'terminated') return;
    this.sendNotify('terminated;reason=timeout', this.last);
    this.end('timeout', true);
  }

  private sendNotify(subscriptionState: string, content: NotifyOptions): void {
    const headers = { Event: formatEventHeader(this.event), 'Subscription-State': subscriptionState };
    const body = content.body !== undefined && content.contentType !== undefined ? { body: content.body, contentType: content.contentType } : {};
    this.dialog.sendRequest('NOTIFY', { headers, ...body });
  }

  /** The subscription is over; its dialog goes with it (one subscription per dialog here). */
  private end(reason: SubscriptionEndReason, endDialog: boolean): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
    if (endDialog) this.dialog.terminate('subscription-ended');
    this.emit('terminated', reason);
  }
}
