import type { Clock } from '../../../base/clock/clock.js';
import { SystemClock } from '../../../base/clock/system-clock.js';
import { BucketHistogram, LATENCY_BOUNDS_SECONDS } from '../../../base/metrics/bucket-histogram.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { generateBranch, generateTag, RFC3261_BRANCH_PREFIX } from '../message/constants.js';
import { SipResponse, type SipMessage, type SipRequest, type SipUri } from '../message/index.js';
import { describePeer } from '../transport/describe-peer.js';
import type { MessageSource, SendResult, SipTransport, TransportProtocol, TransportTarget } from '../transport/transport-types.js';
import type { ClientTransaction } from './client-transaction.js';
import { InviteClientTransaction } from './invite-client-transaction.js';
import { InviteServerTransaction } from './invite-server-transaction.js';
import { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import type { ServerTransaction } from './server-transaction.js';
import { resolveTimerSettings, type TimerSettings } from './timer-settings.js';
import type { TransactionContext } from './transaction-context.js';
import { clientKeyForRequest, clientKeyForResponse, serverTransactionKey } from './transaction-keys.js';
import { isNewWork } from './is-new-work.js';
import type { ClientTransactionOwner, TransactionUser } from './transaction-user.js';
import type { Transaction } from './transaction.js';
import { WaitQueues } from './wait-queues.js';

export interface TransactionLayerOptions {
  /** Drives every timer; defaults to a SystemClock the layer owns and closes. */
  clock?: Clock;
  timers?: Partial<TimerSettings>;
  user?: TransactionUser;
  /** Exceptions thrown by TU callbacks or by unexpected message handling; the layer keeps running. */
  onError?: (err: unknown) => void;
  /** Malformed input this layer refused (a 400 sent or a message dropped): what was wrong, and from whom. */
  onMalformed?: (reason: string, peer: string) => void;
  /**
   * RFC 3263 server location (a `ServerLocator`'s `locate`): client
   * transactions to a target with a `uri` resolve it first and fail over
   * along the list. Absent, such targets go to the transport as they are.
   */
  locate?: (uri: SipUri) => Promise<TransportTarget[]>;
  /**
   * The branch a request failing over (RFC 3263 §4.3) goes on with, given
   * the one it had: a fresh random branch by default. A proxy keeps its own
   * format (loop hash, signature) through this.
   */
  failoverBranch?: (old: string) => string;
  /**
   * RFC 3263 is about to send a request over `to` where its target implied
   * `from` (or the target failed over from had `from`): the stack moves the
   * Contact and Record-Route it wrote for `from` over to `to`, so the peer
   * comes back over the transport that was really used.
   */
  retarget?: (request: SipRequest, from: TransportProtocol, to: TransportProtocol) => void;
}

export interface TransactionLayerStats {
  serverTransactions: number;
  clientTransactions: number;
  strayResponses: number;
  strayAcks: number;
  /**
   * Requests answered with a 400 or responses dropped because a header needed
   * for matching was malformed, or because the TU found a malformed header.
   */
  malformed: number;
  /** New requests refused without a transaction by overload control. */
  shed: number;
  /** New requests whose TU threw something other than a parse error; each got a 500. */
  userFailures: number;
  /** Requests (not ACKs) that matched a live server transaction: retransmissions absorbed or answered again. */
  requestRetransmissions: number;
}

/**
 * RFC 3261 §17: owns the client and server transactions, matches every
 * message the transport delivers to one of them, and passes up what no
 * transaction absorbs. Terminated transactions are forgotten at once, so
 * memory follows the number of live transactions.
 */
export class TransactionLayer {
  readonly clock: Clock;
  readonly timers: TimerSettings;
  private readonly servers = new Map<string, ServerTransaction>();
  private readonly clients = new Map<string, ClientTransaction>();
  private user?: TransactionUser;
  private readonly onError: (err: unknown) => void;
  private readonly ownedClock?: SystemClock;
  private readonly ctx: TransactionContext;
  private readonly waits: WaitQueues;
  private strayResponses = 0;
  private strayAcks = 0;
  private malformed = 0;
  private shedRequests = 0;
  private userFailures = 0;
  private requestRetransmissions = 0;
  /** Seconds from an INVITE's arrival to its first final response. */
  readonly inviteToFinal = new BucketHistogram(LATENCY_BOUNDS_SECONDS);
  private readonly onMalformed: (reason: string, peer: string) => void;

  constructor(
    readonly transport: SipTransport,
    options: TransactionLayerOptions = {},
  ) {
    if (options.clock === undefined) this.ownedClock = new SystemClock();
    this.clock = options.clock ?? this.ownedClock!;
    this.timers = resolveTimerSettings(options.timers);
    this.user = options.user;
    this.onError = options.onError ?? (() => undefined);
    this.onMalformed = options.onMalformed ?? (() => undefined);
    const waits = new WaitQueues(this.clock, (err) => this.onError(err));
    this.waits = waits;
    this.ctx = {
      clock: this.clock,
      transport,
      timers: this.timers,
      wait: (tx, delayMs) => waits.add(tx, delayMs),
      terminated: (tx) => this.forget(tx),
      passAckUp: (ack, source) => this.passAckUp(ack, source),
      createClientTransaction: (request, target, owner) => this.createClientTransaction(request, target, owner),
      locate: options.locate,
      failoverBranch: options.failoverBranch ?? (() => generateBranch()),
      retarget: options.retarget ?? (() => undefined),
      rekey: (tx, id) => {
        if (this.clients.get(tx.id) === tx) this.clients.delete(tx.id);
        tx.id = id;
        this.clients.set(id, tx);
      },
      adopt: (tx) => this.clients.set(tx.id, tx),
      userError: (err) => this.onError(err),
      inviteToFinal: this.inviteToFinal,
    };
    transport.setReceiver((message, source) => this.receive(message, source));
  }

  setUser(user: TransactionUser): void {
    this.user = user;
  }

  get stats(): TransactionLayerStats {
    return {
      serverTransactions: this.servers.size,
      clientTransactions: this.clients.size,
      strayResponses: this.strayResponses,
      strayAcks: this.strayAcks,
      malformed: this.malformed,
      shed: this.shedRequests,
      userFailures: this.userFailures,
      requestRetransmissions: this.requestRetransmissions,
    };
  }

  /**
   * Starts a client transaction: INVITE gets the INVITE machine, anything
   * else but ACK the non-INVITE one. A missing Via or a branch without the
   * RFC 3261 cookie gets a fresh branch (the transport fills in sent-by).
   */
  createClientTransaction(request: SipRequest, target: TransportTarget, owner: ClientTransactionOwner): ClientTransaction {
    if (request.method === 'ACK') {
      throw new SleetError(ErrorCode.SIP_TRANSACTION, 'ACK is not sent in a transaction; use sendStateless()');
    }
    ensureBranch(request, target);
    const key = clientKeyForRequest(request);
    if (this.clients.has(key)) {
      throw new SleetError(ErrorCode.SIP_TRANSACTION, `a ${request.method} client transaction with branch ${request.topVia?.branch} already exists`);
    }
    const tx =
      request.method === 'INVITE'
        ? new InviteClientTransaction(this.ctx, key, request, target, owner)
        : new NonInviteClientTransaction(this.ctx, key, request, target, owner);
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  /**
   * Sends outside any transaction: the ACK for a 2xx, or a stateless proxy's
   * forward. A target with a `uri` is located first (RFC 3263 §5 and
   * RFC 3261 §13.2.2.4: the 2xx ACK is located like any request) and goes to
   * the first target: with no transaction there is nothing to fail over on.
   */
  async sendStateless(request: SipRequest, target: TransportTarget): Promise<SendResult> {
    ensureBranch(request, target);
    const locate = this.ctx.locate;
    const hop = target.uri !== undefined && locate !== undefined ? (await locate(target.uri))[0]! : target;
    return this.transport.sendRequest(request, hop);
  }

  /** Sends a response outside any transaction (stateless proxy, 2xx retransmissions after Accepted). */
  sendStatelessResponse(response: SipResponse, source?: MessageSource): Promise<SendResult> {
    return this.transport.sendResponse(response, source);
  }

  /** Whether a server transaction holds this key (see `rfc3261ServerKey`): a request that has one is a retransmission, never new work. */
  hasServerTransaction(key: string): boolean {
    return this.servers.has(key);
  }

  /** §9.2: the INVITE server transaction a CANCEL refers to, if it still exists. */
  findInviteForCancel(cancel: SipRequest): InviteServerTransaction | undefined {
    const tx = this.servers.get(serverTransactionKey(cancel, 'INVITE'));
    return tx instanceof InviteServerTransaction ? tx : undefined;
  }

  /** Entry point for everything the transport receives (registered with `setReceiver`). */
  receive(message: SipRequest | SipResponse, source: MessageSource): void {
    try {
      if (message.isRequest) this.receiveRequest(message as SipRequest, source);
      else this.receiveResponse(message as SipResponse, source);
    } catch (err) {
      if (!SleetError.is(err, ErrorCode.SIP_PARSE)) {
        this.onError(err);
        return;
      }
      this.malformed++;
      this.onMalformed(err.message, describePeer(source));
      if (message.isRequest && (message as SipRequest).method !== 'ACK') this.rejectMalformed(message as SipRequest, source, err);
    }
  }

  /** Terminates every transaction without sending anything, and stops an owned clock. */
  close(): void {
    for (const tx of [...this.servers.values(), ...this.clients.values()]) tx.close();
    this.servers.clear();
    this.clients.clear();
    this.waits.clear();
    this.ownedClock?.close();
  }

  private receiveRequest(request: SipRequest, source: MessageSource): void {
    const key = serverTransactionKey(request);
    // Touch what matching and response building rely on, so malformed values fail here with a 400.
    void request.callId;
    void request.cseq;
    void request.from;
    void request.to;
    const existing = this.servers.get(key);
    if (existing !== undefined && existing.toTagMatches(request)) {
      if (request.method !== 'ACK') this.requestRetransmissions++;
      existing.receive(request, source);
      return;
    }
    if (request.method === 'ACK') {
      this.passAckUp(request, source);
      return;
    }
    if (existing === undefined && isNewWork(request.method, request.to.tag) && this.user?.shed?.(request, source) === true) {
      this.shedRequests++;
      return;
    }
    const tx =
      request.method === 'INVITE'
        ? new InviteServerTransaction(this.ctx, key, request, source)
        : new NonInviteServerTransaction(this.ctx, key, request, source);
    this.servers.set(key, tx);
    const user = this.user;
    if (user === undefined) {
      tx.respond(SipResponse.fromRequest(request, 503, 'Service Unavailable'));
      return;
    }
    try {
      user.onRequest(tx, request);
    } catch (err) {
      this.answerAfterFailure(tx, request, source, err);
    }
  }

  /**
   * The TU threw before answering: a malformed header it read is the peer's
   * fault (400), anything else ours (500). Either way the transaction gets its
   * final response and so reaches Terminated; one that cannot even be answered
   * is ended at once rather than left waiting for an answer that never comes.
   */
  private answerAfterFailure(tx: ServerTransaction, request: SipRequest, source: MessageSource, err: unknown): void {
    const parse = SleetError.is(err, ErrorCode.SIP_PARSE);
    if (parse) {
      this.malformed++;
      this.onMalformed((err as SleetError).message, describePeer(source));
    } else {
      this.userFailures++;
      this.onError(err);
    }
    if (!tx.awaitingFinal) return;
    try {
      const reason = parse ? `Bad Request - ${(err as SleetError).message}`.slice(0, 200) : 'Server Internal Error';
      tx.respond(SipResponse.fromRequest(request, parse ? 400 : 500, reason, generateTag()));
    } catch (failure) {
      this.onError(failure);
      tx.close();
    }
  }

  private receiveResponse(response: SipResponse, source: MessageSource): void {
    // What matching and the TU's stray-response handling read: malformed values drop the response here.
    void response.callId;
    void response.cseq;
    void response.from;
    void response.to;
    const tx = this.clients.get(clientKeyForResponse(response));
    if (tx !== undefined) {
      tx.receive(response, source);
      return;
    }
    this.strayResponses++;
    this.callUser(() => this.user?.onStrayResponse?.(response, source), source);
  }

  private passAckUp(ack: SipRequest, source: MessageSource): void {
    this.strayAcks++;
    this.callUser(() => this.user?.onAck?.(ack, source), source);
  }

  private rejectMalformed(request: SipRequest, source: MessageSource, err: SleetError): void {
    let response: SipResponse;
    try {
      response = SipResponse.fromRequest(request, 400, `Bad Request - ${err.message}`.slice(0, 200));
    } catch {
      return; // not even enough to address a response
    }
    this.transport.sendResponse(response, source).catch(() => undefined);
  }

  private forget(tx: Transaction): void {
    const map: Map<string, Transaction> = tx.kind.endsWith('client') ? this.clients : this.servers;
    if (map.get(tx.id) === tx) map.delete(tx.id);
    this.callUser(() => this.user?.onTransactionTerminated?.(tx));
  }

  /** A TU callback; with the message's `source`, a malformed header the TU tripped on counts as malformed input, not as an error. */
  private callUser(fn: () => void, source?: MessageSource): void {
    try {
      fn();
    } catch (err) {
      if (source !== undefined && SleetError.is(err, ErrorCode.SIP_PARSE)) {
        this.malformed++;
        this.onMalformed((err as SleetError).message, describePeer(source));
        return;
      }
      this.onError(err);
    }
  }
}

function ensureBranch(message: SipMessage, target: TransportTarget): void {
  if (!message.hasKey('via')) {
    message.add('Via', `SIP/2.0/${target.transport} 0.0.0.0;branch=${generateBranch()};rport`, true);
    return;
  }
  const top = message.topVia!;
  if (top.branch?.startsWith(RFC3261_BRANCH_PREFIX)) return;
  top.params.set('branch', generateBranch());
  message.setTopVia(top);
}
