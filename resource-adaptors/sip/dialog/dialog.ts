import { EventEmitter } from 'node:events';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { generateBranch, NameAddr, SipRequest, SipUri, type SipResponse } from '../message/index.js';
import type { TimerHandle } from '../../../base/clock/clock.js';
import type { ClientTransaction, ServerTransaction } from '../transaction/index.js';
import type { TransportTarget } from '../transport/transport-types.js';
import { buildResponse, type ResponseOptions } from './build-response.js';
import type { DialogHost } from './dialog-host.js';
import { dialogKey } from './dialog-key.js';
import { nextHopForRequest, uriTarget } from '../transport/next-hop.js';
import { SuccessRetransmitter } from './success-retransmitter.js';
import type { SessionTimer } from './session-timer.js';
import { ReliableProvisionals, sendsReliably } from './reliable-provisional.js';

export type DialogState = 'early' | 'confirmed' | 'terminated';
export type DialogRole = 'uac' | 'uas';
/**
 * Why a dialog ended: `bye` we sent one, `remote-bye` the peer did,
 * `rejected` the INVITE failed or was cancelled, `request-failed` an
 * in-dialog request got 408/481 (§12.2.1.2), `no-ack` a 2xx was never
 * ACKed, `forked` a second fork's 2xx was ACKed and BYEd, `closed` local,
 * `session-expired` no session refresh came in time (RFC 4028 §10; we sent BYE).
 */
export type DialogTerminationReason =
  'bye' | 'remote-bye' | 'rejected' | 'request-failed' | 'no-ack' | 'forked' | 'closed' | 'subscription-ended' | 'session-expired';

export interface DialogEvents {
  confirmed: [];
  /** An in-dialog request other than ACK and BYE; answer it with `dialog.respond(tx, ...)`. */
  request: [request: SipRequest, tx: ServerTransaction];
  /** The ACK for our 2xx (it may carry the answer of a late offer). */
  ack: [ack: SipRequest];
  /** A PRACK that acknowledged our reliable provisional (RFC 3262); already answered 200. */
  prack: [request: SipRequest, tx: ServerTransaction];
  /** The peer's BYE; already answered 200. */
  bye: [request: SipRequest];
  /** A response to a request this dialog sent. */
  response: [response: SipResponse, request: SipRequest];
  terminated: [reason: DialogTerminationReason];
}

export interface InDialogRequestOptions {
  body?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string | string[]>;
}

export interface SendInDialogOptions extends InDialogRequestOptions {
  /** For re-INVITE: leave the ACK of the 2xx to `sendAck()` (e.g. to carry an answer). */
  deferAck?: boolean;
  onResponse?: (response: SipResponse, request: SipRequest) => void;
}

/**
 * A confirmed dialog as plain JSON, for another stack to rebuild it
 * (`DialogLayer.restore`): a cluster node taking over a dialog whose owner died.
 */
export interface DialogSnapshot {
  role: DialogRole;
  callId: string;
  localTag: string;
  remoteTag: string;
  localUri: string;
  remoteUri: string;
  remoteTarget: string;
  routeSet: string[];
  secure: boolean;
  localSeq: number | null;
  remoteSeq: number | null;
}

/**
 * How far a restored dialog's local CSeq jumps: the snapshot may predate
 * requests its first owner sent (re-INVITEs, UPDATEs), and the peer must see
 * ours keep rising (§12.2.2), so the next one is well above any of those.
 */
export const RESTORED_CSEQ_STEP = 10_000;

const TARGET_REFRESH = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);
/** Requests other than INVITE that create a dialog when answered 2xx. */
const DIALOG_CREATING = new Set(['SUBSCRIBE', 'REFER']);

/**
 * §14.1: how long to wait before retrying a re-INVITE that got 491, in
 * 10 ms units: 2.1-4 s for the owner of the Call-ID (the dialog's UAC),
 * 0-2 s for the other side, so that the two retries do not collide again.
 */
function glareRetryDelay(role: DialogRole): number {
  const [from, to] = role === 'uac' ? [210, 400] : [0, 200];
  return (from + Math.floor(Math.random() * (to - from + 1))) * 10;
}

/**
 * One RFC 3261 §12 dialog, seen from this side. Built by the DialogLayer
 * (from an INVITE we sent or answered); builds in-dialog requests
 * (§12.2.1.1, strict-route fix-up included), checks the peer's CSeq order,
 * refreshes the remote target, ACKs 2xx and re-sends our 2xx until ACKed.
 */
export class Dialog extends EventEmitter<DialogEvents> {
  state: DialogState;
  localSeq?: number;
  remoteSeq?: number;
  remoteTarget: SipUri;
  /** Route set in the order requests carry it (already reversed for the UAC). */
  routeSet: NameAddr[];
  /** The RFC 4028 session timer, once a session with one was negotiated. */
  sessionTimer?: SessionTimer;
  private lastAck?: { seq: number; ack: SipRequest; target: TransportTarget };
  private awaitingAck?: { seq: number; response: SipResponse };
  private pendingAckSeq?: number;
  private retransmitter?: SuccessRetransmitter;
  /** RFC 3262: the reliable provisionals of the INVITE being answered, if any. */
  private provisionals?: ReliableProvisionals;
  /** §14: our re-INVITE without a final response yet. */
  private outgoingInvite?: ClientTransaction;
  /** §14.1: our re-INVITE that got 491, waiting to be sent again. */
  private glareRetry?: TimerHandle;
  /** §14.2: the peer's re-INVITE the application has not answered finally yet. */
  private incomingInvite?: ServerTransaction;

  private constructor(
    private readonly host: DialogHost<Dialog>,
    readonly role: DialogRole,
    readonly callId: string,
    readonly localTag: string,
    readonly remoteTag: string,
    /** Our From (UAC) / To (UAS) without tag. */
    readonly localUri: NameAddr,
    readonly remoteUri: NameAddr,
    remoteTarget: SipUri,
    routeSet: NameAddr[],
    readonly secure: boolean,
    state: DialogState,
  ) {
    super();
    this.remoteTarget = remoteTarget;
    this.routeSet = routeSet;
    this.state = state;
  }

  /** §12.1.2: the UAC's view, from the request it sent and a 1xx/2xx with a To tag. */
  static forUac(host: DialogHost<Dialog>, request: SipRequest, response: SipResponse, state: DialogState): Dialog {
    const localUri = stripTag(request.from);
    const remoteUri = stripTag(response.to);
    const target = response.contacts[0]?.uri.clone() ?? request.uri.clone();
    const routeSet = response.recordRoutes.map((r) => r.clone()).reverse();
    const dialog = new Dialog(
      host,
      'uac',
      request.callId,
      request.from.tag ?? '',
      response.to.tag ?? '',
      localUri,
      remoteUri,
      target,
      routeSet,
      request.uri.scheme === 'sips',
      state,
    );
    dialog.localSeq = request.cseq.seq;
    return dialog;
  }

  /** §12.1.1: the UAS's view, from the request received and the tag we put in To. */
  static forUas(host: DialogHost<Dialog>, request: SipRequest, localTag: string, state: DialogState): Dialog {
    const target = request.contacts[0]?.uri.clone() ?? request.from.uri.clone();
    const routeSet = request.recordRoutes.map((r) => r.clone());
    const dialog = new Dialog(
      host,
      'uas',
      request.callId,
      localTag,
      request.from.tag ?? '',
      stripTag(request.to),
      stripTag(request.from),
      target,
      routeSet,
      request.uri.scheme === 'sips',
      state,
    );
    dialog.remoteSeq = request.cseq.seq;
    return dialog;
  }

  /** @internal DialogLayer.restore(): a confirmed dialog from its snapshot, local CSeq moved past any its first owner may have sent. */
  static fromSnapshot(host: DialogHost<Dialog>, snapshot: DialogSnapshot): Dialog {
    const dialog = new Dialog(
      host,
      snapshot.role,
      snapshot.callId,
      snapshot.localTag,
      snapshot.remoteTag,
      NameAddr.parse(snapshot.localUri),
      NameAddr.parse(snapshot.remoteUri),
      SipUri.parse(snapshot.remoteTarget),
      snapshot.routeSet.map((r) => NameAddr.parse(r)),
      snapshot.secure,
      'confirmed',
    );
    if (snapshot.localSeq !== null) dialog.localSeq = snapshot.localSeq + RESTORED_CSEQ_STEP;
    if (snapshot.remoteSeq !== null) dialog.remoteSeq = snapshot.remoteSeq;
    return dialog;
  }

  /** What another stack needs to go on with this dialog (`DialogLayer.restore`); plain JSON. */
  snapshot(): DialogSnapshot {
    return {
      role: this.role,
      callId: this.callId,
      localTag: this.localTag,
      remoteTag: this.remoteTag,
      localUri: this.localUri.toString(),
      remoteUri: this.remoteUri.toString(),
      remoteTarget: this.remoteTarget.toString(),
      routeSet: this.routeSet.map((r) => r.toString()),
      secure: this.secure,
      localSeq: this.localSeq ?? null,
      remoteSeq: this.remoteSeq ?? null,
    };
  }

  get id(): string {
    return dialogKey(this.callId, this.localTag, this.remoteTag);
  }

  get isTerminated(): boolean {
    return this.state === 'terminated';
  }

  /**
   * §12.2.1.1: an in-dialog request. CSeq is the next local sequence number
   * (ACK and CANCEL reuse the current one). With a strict first route, the
   * Request-URI becomes that route and the remote target goes last in Route.
   */
  createRequest(method: string, options: InDialogRequestOptions = {}): SipRequest {
    if (this.localSeq === undefined) this.localSeq = Math.floor(Math.random() * 0x7fffffff);
    else if (method !== 'ACK' && method !== 'CANCEL') this.localSeq++;
    return this.buildRequest(method, this.localSeq, options);
  }

  /** Sends an in-dialog request in its own client transaction. */
  sendRequest(method: string, options: SendInDialogOptions = {}): ClientTransaction {
    return this.send(method, options, 'bye');
  }

  /** §15.1.1: ends the dialog; it counts as terminated from now on. */
  bye(options: InDialogRequestOptions = {}, reason: DialogTerminationReason = 'bye'): ClientTransaction {
    return this.send('BYE', options, reason);
  }

  private send(method: string, options: SendInDialogOptions, byeReason: DialogTerminationReason, retried = false): ClientTransaction {
    if (this.state === 'terminated') throw new SleetError(ErrorCode.SIP_DIALOG, `cannot send ${method} in a terminated dialog`);
    if (method === 'ACK') throw new SleetError(ErrorCode.SIP_DIALOG, 'ACK is sent with sendAck()');
    if (method === 'INVITE' && this.invitePending) {
      throw new SleetError(ErrorCode.SIP_REINVITE_PENDING, 'an INVITE transaction of this dialog is still in progress (RFC 3261 §14.1)');
    }
    const request = this.createRequest(method, options);
    const owner = {
      onResponse: (response: SipResponse): void => this.receiveResponse(request, response, options, retried),
      onTerminated: (ended: ClientTransaction): void => {
        if (this.outgoingInvite === ended) this.outgoingInvite = undefined;
      },
    };
    if (method === 'BYE') this.terminate(byeReason);
    const tx = this.host.transactions.createClientTransaction(request, this.nextHop(request), owner);
    if (method === 'INVITE') this.outgoingInvite = tx;
    return tx;
  }

  /** §14.1: an INVITE transaction in progress in either direction (or our 491ed one waiting to retry). */
  private get invitePending(): boolean {
    return this.outgoingInvite !== undefined || this.glareRetry !== undefined || this.incomingInvite?.awaitingFinal === true;
  }

  /** Sends the deferred ACK for the latest 2xx (`deferAck`), e.g. with the answer of a late offer. */
  sendAck(options: InDialogRequestOptions = {}): SipRequest {
    if (this.pendingAckSeq === undefined) throw new SleetError(ErrorCode.SIP_DIALOG, 'no 2xx is waiting for an ACK');
    const seq = this.pendingAckSeq;
    this.pendingAckSeq = undefined;
    return this.ackSuccess(seq, options);
  }

  /** True while a 2xx for INVITE waits for `sendAck()`. */
  get ackPending(): boolean {
    return this.pendingAckSeq !== undefined;
  }

  /**
   * Answers a request received in (or creating) this dialog. A 2xx to INVITE
   * is re-sent until its ACK arrives; without ACK after 64*T1 the dialog
   * is confirmed and ended with a BYE (§13.3.1.4).
   */
  respond(tx: ServerTransaction, status: number, options: ResponseOptions = {}): SipResponse {
    const request = tx.request;
    const contact = options.contact ?? (status < 300 ? this.host.localContact(tx.source.transport) : undefined);
    const headers = { ...options.headers };
    const refreshed = this.sessionAnswer(request, status, headers, options.body);
    const response = buildResponse(request, status, { ...options, headers, toTag: this.localTag, ...(contact ? { contact } : {}) });
    if (sendsReliably(request, status, options)) {
      this.reliableProvisionals(tx).send(response);
      return response;
    }
    tx.respond(response);
    refreshed?.();
    if (request.method !== 'INVITE') {
      // RFC 6665 §4.4.1: a 2xx to SUBSCRIBE (or REFER) confirms the dialog it creates; a failure ends it.
      if (status >= 200 && request.to.tag === undefined && DIALOG_CREATING.has(request.method)) {
        if (status < 300) this.confirm();
        else this.terminate('rejected');
      }
      return response;
    }
    if (status < 200) return response;
    if (this.incomingInvite === tx) this.incomingInvite = undefined;
    if (this.provisionals?.tx === tx) this.provisionals.finalSent();
    if (status < 300) {
      this.confirm();
      this.awaitSuccessAck(tx, request.cseq.seq, response);
    } else if (this.state === 'early' && request.to.tag === undefined) {
      this.terminate('rejected');
    }
    return response;
  }

  /** Ends the dialog locally without sending anything. */
  terminate(reason: DialogTerminationReason): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    if (this.glareRetry !== undefined) this.host.clock.cancel(this.glareRetry);
    this.glareRetry = undefined;
    this.retransmitter?.stop();
    this.retransmitter = undefined;
    this.sessionTimer?.stop();
    this.provisionals?.stop();
    this.provisionals = undefined;
    this.host.forget(this);
    this.safeEmit('terminated', reason);
  }

  /** @internal DialogLayer: an early dialog became confirmed. */
  confirm(): void {
    if (this.state !== 'early') return;
    this.state = 'confirmed';
    this.safeEmit('confirmed');
  }

  /** @internal DialogLayer (UAC): a 2xx to the dialog-creating INVITE refreshes route set and target (§13.2.2.4). */
  updateFromSuccess(response: SipResponse): void {
    if (this.state === 'early') {
      this.routeSet = response.recordRoutes.map((r) => r.clone()).reverse();
    }
    const contact = response.contacts[0];
    if (contact !== undefined) this.remoteTarget = contact.uri.clone();
  }

  /**
   * @internal A 2xx to an INVITE with CSeq `seq`: sends the ACK (or re-sends
   * it for a retransmission) unless the application defers it.
   */
  handleInviteSuccess(seq: number, deferAck: boolean): void {
    if (this.lastAck !== undefined && this.lastAck.seq === seq) {
      this.host.transactions.sendStateless(this.lastAck.ack, this.lastAck.target).catch((err) => this.host.reportError(err));
      return;
    }
    if (this.pendingAckSeq === seq) return;
    if (deferAck) this.pendingAckSeq = seq;
    else this.ackSuccess(seq, {});
  }

  /** @internal DialogLayer: an in-dialog request matched this dialog. */
  receiveRequest(request: SipRequest, tx: ServerTransaction): void {
    const seq = request.cseq.seq;
    if (this.remoteSeq !== undefined && seq <= this.remoteSeq) {
      // §12.2.2: out of order.
      tx.respond(buildResponse(request, 500, { reason: 'Server Internal Error - CSeq out of order' }));
      return;
    }
    this.remoteSeq = seq;
    const contact = request.contacts[0];
    if (TARGET_REFRESH.has(request.method) && contact !== undefined) this.remoteTarget = contact.uri.clone();
    if (request.method === 'BYE') {
      tx.respond(buildResponse(request, 200));
      this.safeEmit('bye', request);
      this.terminate('remote-bye');
      return;
    }
    if (request.method === 'INVITE' && this.refuseGlare(request, tx)) return;
    if (this.host.sessionTimers?.intercept(this, request, tx) === true) return;
    if (request.method === 'PRACK') {
      // RFC 3262 §3: the stack answers PRACK itself; one that acknowledges nothing pending gets 481.
      const acknowledged = this.provisionals?.acknowledge(request) === true;
      tx.respond(buildResponse(request, acknowledged ? 200 : 481));
      if (acknowledged) this.safeEmit('prack', request, tx);
      return;
    }
    if (this.listenerCount('request') === 0) {
      tx.respond(buildResponse(request, 501, { reason: 'Not Implemented - no handler for this request in the dialog' }));
      return;
    }
    if (request.method === 'INVITE') this.incomingInvite = tx;
    this.safeEmit('request', request, tx);
  }

  /**
   * §14.2: a re-INVITE while our own is in progress gets 491 (the peer
   * retries after its random delay); one while the peer's previous
   * re-INVITE is unanswered gets 500 with a random Retry-After of 0-10 s.
   */
  private refuseGlare(request: SipRequest, tx: ServerTransaction): boolean {
    const toTag = this.localTag;
    if (this.outgoingInvite !== undefined) {
      tx.respond(buildResponse(request, 491, { toTag }));
      return true;
    }
    if (this.incomingInvite?.awaitingFinal === true) {
      const retryAfter = String(Math.floor(Math.random() * 11));
      tx.respond(buildResponse(request, 500, { toTag, reason: 'Server Internal Error - previous INVITE unanswered', headers: { 'Retry-After': retryAfter } }));
      return true;
    }
    return false;
  }

  /** @internal DialogLayer: an ACK for a 2xx matched this dialog. */
  receiveAck(ack: SipRequest): void {
    if (this.awaitingAck === undefined || this.awaitingAck.seq !== ack.cseq.seq) return;
    this.awaitingAck = undefined;
    this.retransmitter?.stop();
    this.retransmitter = undefined;
    this.safeEmit('ack', ack);
  }

  /** RFC 4028: a 2xx to INVITE, or to UPDATE in a confirmed dialog, negotiates the session timer. */
  private sessionAnswer(request: SipRequest, status: number, headers: Record<string, string | string[]>, body: Buffer | string | undefined) {
    const policy = this.host.sessionTimers;
    if (policy === undefined || status < 200 || status >= 300) return undefined;
    if (request.method !== 'INVITE' && !(request.method === 'UPDATE' && this.state === 'confirmed')) return undefined;
    return policy.answering(this, request, headers, body);
  }

  private reliableProvisionals(tx: ServerTransaction): ReliableProvisionals {
    if (this.provisionals?.tx === tx) return this.provisionals;
    this.provisionals?.stop();
    const provisionals = new ReliableProvisionals(this.host.clock, this.host.timers, tx, () => {
      // RFC 3262 §3: no PRACK within 64*T1, the INVITE is rejected with a 5xx.
      if (tx.awaitingFinal) this.safeSend(() => this.respond(tx, 500, { reason: 'Server Internal Error - reliable provisional response not acknowledged' }));
    });
    this.provisionals = provisionals;
    return provisionals;
  }

  private awaitSuccessAck(tx: ServerTransaction, seq: number, response: SipResponse): void {
    this.retransmitter?.stop();
    this.awaitingAck = { seq, response };
    const resend = (): void => {
      if (!tx.isTerminated) tx.respond(response);
      else this.host.transactions.sendStatelessResponse(response, tx.source).catch((err) => this.host.reportError(err));
    };
    this.retransmitter = new SuccessRetransmitter(
      this.host.clock,
      this.host.timers,
      resend,
      () => {
        this.retransmitter = undefined;
        this.awaitingAck = undefined;
        if (this.state !== 'terminated') this.safeSend(() => this.sendRequest('BYE'));
      },
      tx.reliable,
    );
  }

  private ackSuccess(seq: number, options: InDialogRequestOptions): SipRequest {
    const ack = this.buildRequest('ACK', seq, options);
    ack.add('Via', `SIP/2.0/UDP 0.0.0.0;branch=${generateBranch()};rport`, true);
    const target = this.nextHop(ack);
    this.lastAck = { seq, ack, target };
    this.host.transactions.sendStateless(ack, target).catch((err) => this.host.reportError(err));
    return ack;
  }

  private receiveResponse(request: SipRequest, response: SipResponse, options: SendInDialogOptions, retried: boolean): void {
    const status = response.status;
    if (request.method === 'INVITE' && status >= 200 && this.outgoingInvite?.request === request) this.outgoingInvite = undefined;
    if (status === 491 && request.method === 'INVITE' && !retried && this.state !== 'terminated') {
      // §14.1: the application sees only the retry's outcome.
      this.glareRetry = this.host.clock.schedule(glareRetryDelay(this.role), () => this.retryAfterGlare(request, response, options));
      return;
    }
    if (status === 408 || status === 481) {
      this.terminate('request-failed');
    } else if (status >= 200 && status < 300 && request.method === 'INVITE' && this.state === 'terminated') {
      // A 2xx that lost the race with a BYE: the peer's INVITE server still wants its ACK; the dialog stays ended.
      this.handleInviteSuccess(request.cseq.seq, false);
    } else if (status >= 200 && status < 300) {
      const contact = response.contacts[0];
      if (TARGET_REFRESH.has(request.method) && contact !== undefined) this.remoteTarget = contact.uri.clone();
      if (request.method === 'INVITE') this.handleInviteSuccess(request.cseq.seq, options.deferAck ?? false);
    }
    this.deliverResponse(request, response, options);
  }

  /** §14.1: sends the 491ed re-INVITE again, or reports the 491 when the peer's own re-INVITE is still unanswered. */
  private retryAfterGlare(request: SipRequest, refused: SipResponse, options: SendInDialogOptions): void {
    this.glareRetry = undefined;
    if (this.state === 'terminated') return;
    try {
      this.send('INVITE', options, 'bye', true);
    } catch (err) {
      if (SleetError.is(err, ErrorCode.SIP_REINVITE_PENDING)) this.deliverResponse(request, refused, options);
      else this.host.reportError(err);
    }
  }

  private deliverResponse(request: SipRequest, response: SipResponse, options: SendInDialogOptions): void {
    if (options.onResponse !== undefined) {
      try {
        options.onResponse(response, request);
      } catch (err) {
        this.host.reportError(err);
      }
    }
    this.safeEmit('response', response, request);
  }

  private buildRequest(method: string, seq: number, options: InDialogRequestOptions): SipRequest {
    const to = this.remoteUri.clone();
    to.params.set('tag', this.remoteTag);
    const from = this.localUri.clone();
    from.params.set('tag', this.localTag);
    const headers: Record<string, string | string[]> = {
      From: from.toString(),
      To: to.toString(),
      'Call-ID': this.callId,
      CSeq: `${seq} ${method}`,
      'Max-Forwards': '70',
    };
    let requestUri = this.remoteTarget.clone();
    let hop = requestUri;
    const first = this.routeSet[0];
    if (first !== undefined && first.uri.param('lr') !== undefined) {
      headers['Route'] = this.routeSet.map((r) => r.toString());
      hop = first.uri;
    } else if (first !== undefined) {
      // Strict router: it gets the Request-URI, our real target rides last in Route.
      requestUri = first.uri.clone();
      requestUri.headers.clear();
      requestUri.params.delete('method');
      hop = requestUri;
      headers['Route'] = [...this.routeSet.slice(1).map((r) => r.toString()), `<${this.remoteTarget.toString()}>`];
    }
    if (method !== 'ACK' && method !== 'CANCEL' && method !== 'BYE') {
      headers['Contact'] = this.host.localContact(uriTarget(hop).transport).toString();
    }
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name] = value;
    if (options.body !== undefined && options.contentType !== undefined) headers['Content-Type'] = options.contentType;
    return SipRequest.create(method, requestUri, headers, options.body);
  }

  /** With a strict first route the Request-URI is that router (the Route header then starts with the next one). */
  private nextHop(request: SipRequest): TransportTarget {
    const first = this.routeSet[0];
    return first !== undefined && first.uri.param('lr') === undefined ? uriTarget(request.uri) : nextHopForRequest(request);
  }

  private safeSend(send: () => unknown): void {
    try {
      send();
    } catch (err) {
      this.host.reportError(err);
    }
  }

  private safeEmit<K extends keyof DialogEvents>(event: K, ...args: DialogEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: DialogEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.host.reportError(err);
    }
  }
}

function stripTag(addr: NameAddr): NameAddr {
  const copy = addr.clone();
  copy.params.delete('tag');
  return copy;
}
