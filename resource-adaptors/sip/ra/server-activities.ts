import type { SipStack } from '../stack/index.js';
import { buildResponse } from '../dialog/index.js';
import { generateTag, type SipRequest } from '../message/index.js';
import type { ServerTransaction, Transaction } from '../transaction/index.js';
import type { SipActivityHost } from './sip-activity-host.js';
import { ServerTransactionActivity } from './server-transaction-activity.js';
import { SipRequestEvents, requestEventType } from './sip-event-types.js';
import { addressOfRequest } from './address-of-request.js';
import { eventHeaderOf } from '../subscription/index.js';
import { declaredEventPackages } from './sip-event-packages.js';

export interface ServerActivityOptions {
  host: SipActivityHost;
  /** The running stack, or null once the adaptor is inactive. */
  activeStack(): SipStack | null;
  /** How long SBBs that took a request may leave it unanswered. */
  answerTimeoutMs(method: string): number;
  count(counter: 'requestsIn' | 'unanswered' | 'handlerFailures'): void;
  warn(message: string): void;
  /** The service (`name:vendor:version`) that answered a request, for accounting. */
  decided?(request: SipRequest, service: string): void;
}

/** Incoming out-of-dialog requests as server-transaction activities, from arrival to final answer or transaction end. */
export class ServerActivities {
  /** Off while the adaptor stops: new requests are refused with 503 while existing activities finish. */
  accepting = false;
  /** Live activities, by transaction (CANCEL, transaction end) and by handle (activity end). */
  private readonly byTransaction = new Map<ServerTransaction, ServerTransactionActivity>();
  private readonly byHandle = new Map<string, ServerTransaction>();

  constructor(private readonly options: ServerActivityOptions) {}

  onRequest(request: SipRequest, tx: ServerTransaction): boolean {
    const { host, count } = this.options;
    count('requestsIn');
    if (!this.accepting) {
      tx.respond(buildResponse(request, 503, { reason: 'Service Unavailable - shutting down', toTag: generateTag(), headers: { 'Retry-After': '5' } }));
      return true;
    }
    const activity = new ServerTransactionActivity(host.nextHandle('st'), request, tx, host);
    this.byTransaction.set(tx, activity);
    this.byHandle.set(activity.handle, tx);
    host.startActivity(activity.handle, activity);
    host.fire(
      activity.handle,
      requestEventType(request.method),
      { request, source: tx.source, transaction: activity },
      addressOfRequest(request),
      (failed, delivered, answeredBy) => {
        if (answeredBy !== undefined) this.options.decided?.(request, answeredBy);
        this.afterProcessing(activity, failed, delivered);
      },
      () => activity.isAnswered,
    );
    return true;
  }

  /**
   * An activity ends at its request's final response, while the transaction
   * waits up to 32 s more (Timers J and L): forgetting it now rather than at
   * the transaction's end lets the activity, its request and its activity
   * context go with it.
   */
  activityEnded(handle: string): void {
    const tx = this.byHandle.get(handle);
    if (tx === undefined) return;
    this.byHandle.delete(handle);
    this.byTransaction.delete(tx);
  }

  onTransactionEnd(tx: Transaction): void {
    const activity = this.byTransaction.get(tx as ServerTransaction);
    if (activity === undefined) return;
    this.byTransaction.delete(tx as ServerTransaction);
    this.byHandle.delete(activity.handle);
    this.options.host.endActivity(activity.handle);
  }

  /** The stack answered a CANCEL (200) and its INVITE (487); SBBs learn of it on the INVITE's activity. */
  onCancel(invite: ServerTransaction, cancel: SipRequest): void {
    const activity = this.byTransaction.get(invite);
    if (activity === undefined) return;
    activity.markCancelled();
    this.options.host.fire(activity.handle, SipRequestEvents.CANCEL, { request: cancel, source: invite.source, transaction: activity });
  }

  /** What no SBB answered gets the answer a SIP element owes: refusal, error, or a deadline. */
  private afterProcessing(activity: ServerTransactionActivity, failed: boolean, delivered: number): void {
    if (activity.isAnswered) return;
    const { host, count } = this.options;
    const { request, transaction } = activity;
    if (failed) {
      count('handlerFailures');
      activity.respond(500, { reason: 'Server Internal Error - service failed' });
    } else if (delivered === 0) {
      count('unanswered');
      if (!refusedBadEvent(activity)) this.options.activeStack()?.answerUnhandled(transaction, request);
      // As activity.respond() does: answered is over for the activity, whatever Timer J keeps of the transaction.
      if (!transaction.awaitingFinal) host.endActivity(activity.handle);
    } else {
      const deadline = this.options.answerTimeoutMs(request.method);
      host.stack.clock.schedule(deadline, () => {
        if (activity.isAnswered) return;
        count('unanswered');
        this.options.warn(`no SBB answered ${request.method} ${request.callId} in ${deadline} ms`);
        activity.respond(500, { reason: 'Server Internal Error - no answer from the service' });
      });
    }
  }
}

/** RFC 6665 §8.2.1 / RFC 3903 §6: a SUBSCRIBE or PUBLISH for a package no SBB declared gets 489, listing those we serve. */
function refusedBadEvent(activity: ServerTransactionActivity): boolean {
  const { request } = activity;
  if (request.method !== 'SUBSCRIBE' && request.method !== 'PUBLISH') return false;
  const declared = declaredEventPackages();
  let event;
  try {
    event = eventHeaderOf(request);
  } catch {
    event = undefined;
  }
  if (event !== undefined && declared.has(event.package)) return false;
  activity.respond(489, { reason: 'Bad Event', ...(declared.size > 0 ? { headers: { 'Allow-Events': [...declared].join(', ') } } : {}) });
  return true;
}
