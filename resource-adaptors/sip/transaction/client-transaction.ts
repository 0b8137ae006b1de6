import { SipResponse, type SipRequest } from '../message/index.js';
import { defaultPort } from '../transport/transport-options.js';
import { isReliable, type MessageSource, type ResponseDestination, type SendResult, type TransportTarget } from '../transport/transport-types.js';
import type { TransactionContext } from './transaction-context.js';
import type { ClientTransactionOwner } from './transaction-user.js';
import { Transaction } from './transaction.js';
import { clientKeyForRequest } from './transaction-keys.js';
import type { WireCopy } from './wire-copy.js';

/** Shared behaviour of the INVITE and non-INVITE client machines (§17.1). */
export abstract class ClientTransaction extends Transaction {
  /** Set once the first send completes: where the request really went (after any UDP→TCP switch). */
  sent: SendResult | undefined = undefined;
  /** Whether a final response (real or synthesised) has reached the owner. */
  protected finalDelivered = false;
  /** RFC 3263 targets still to try after the current one; dropped once a provisional commits us to this one. */
  private alternatives: TransportTarget[] | undefined = undefined;

  constructor(
    ctx: TransactionContext,
    id: string,
    request: SipRequest,
    /** Where the request goes: as asked, then the RFC 3263 target being tried. */
    public target: TransportTarget,
    private owner: ClientTransactionOwner,
  ) {
    super(ctx, id, request);
  }

  /**
   * From now on `owner` gets the responses: a proxy context that completed
   * hands its waiting branches something smaller than itself, so it can be
   * let go for the rest of Timer M.
   */
  handOver(owner: ClientTransactionOwner): void {
    this.owner = owner;
  }

  /** Until the first send resolves, assume the transport asked for. */
  get reliable(): boolean {
    return this.sent?.reliable ?? isReliable(this.target.transport);
  }

  /** The resolved next hop, so retransmissions, ACK and CANCEL follow the first send exactly. */
  get nextHop(): TransportTarget {
    const s = this.sent;
    return s === undefined ? this.target : { transport: s.transport, host: s.remoteAddress, port: s.remotePort };
  }

  /** Sends the request and arms the machine's timers. Called once by the layer. */
  abstract start(): void;

  /** A response whose branch and CSeq method matched this transaction. */
  abstract receive(response: SipResponse, source: MessageSource): void;

  protected sendInitial(onSent: () => void): void {
    const uri = this.target.uri;
    const locate = this.ctx.locate;
    if (uri === undefined || locate === undefined) {
      this.send(onSent);
      return;
    }
    locate(uri).then(
      ([first, ...rest]) => {
        if (this.isTerminated) return;
        this.moveTo(first!);
        if (rest.length > 0) this.alternatives = rest;
        this.send(onSent);
      },
      (err: unknown) => this.transportError(err),
    );
  }

  /** The request goes to `next` from now on, its Contact and Record-Route following a change of transport. */
  private moveTo(next: TransportTarget): void {
    const from = this.target.transport;
    this.target = next;
    if (next.transport !== from) this.ctx.retarget(this.request, from, next.transport);
  }

  private send(onSent: () => void): void {
    const target = this.target;
    this.ctx.transport.sendRequest(this.request, target).then(
      (result) => {
        if (this.target !== target) return; // failed over meanwhile: that target is history
        this.sent = result;
        if (!this.isTerminated) onSent();
      },
      (err: unknown) => this.transportErrorFor(target, err),
    );
  }

  protected retransmit(message: SipRequest = this.request): void {
    const target = this.target;
    this.ctx.transport.sendRequest(message, this.nextHop).catch((err: unknown) => this.transportErrorFor(target, err));
  }

  /** A send that fails after the transaction moved to another target says nothing about the current one. */
  private transportErrorFor(target: TransportTarget, err: unknown): void {
    if (this.target === target) this.transportError(err);
  }

  protected resend(copy: WireCopy): void {
    copy.send(this.ctx.transport).catch((err: unknown) => this.transportError(err));
  }

  /** The next hop as a WireCopy destination: where the first send really went. */
  protected get nextHopDestination(): ResponseDestination {
    const hop = this.nextHop;
    const destination: ResponseDestination = { transport: hop.transport, host: hop.host, port: hop.port ?? defaultPort(hop.transport) };
    if (this.sent?.connectionId !== undefined) destination.connectionId = this.sent.connectionId;
    return destination;
  }

  /** Past the final response the wait state only absorbs or acknowledges retransmissions: the request is let go once the owner has seen it. */
  protected deliver(response: SipResponse): void {
    const final = response.status >= 200;
    if (response.status > 100) this.alternatives = undefined;
    if (final) this.finalDelivered = true;
    this.callUser(() => this.owner.onResponse(response, this));
    if (final) this.releaseRequest();
  }

  /** §17.1.4: a transport failure is reported to the TU as a 503. */
  protected transportError(_err: unknown): void {
    if (this.isTerminated) return;
    if (!this.finalDelivered && this.failOver()) return;
    if (!this.finalDelivered) this.deliver(this.synthesise(503, 'Service Unavailable'));
    this.terminate('transport-error');
  }

  /** Timer B/F: the TU sees a 408 as if the next hop had sent it. */
  protected timeout(): void {
    if (!this.finalDelivered && this.failOver()) return;
    if (!this.finalDelivered) this.deliver(this.synthesise(408, 'Request Timeout'));
    this.terminate('timeout');
  }

  protected override onTerminated(): void {
    this.callUser(() => this.owner.onTerminated?.(this));
  }

  /**
   * RFC 3263 §4.3: on a 503, a timeout or a transport error the request
   * goes to the next target in a new client transaction (new branch). This
   * object becomes that transaction, so the owner sees one outcome; a 503
   * is left to `leaveBehind`. Returns whether there was a target to go to.
   */
  protected failOver(answered?: SipResponse, source?: MessageSource): boolean {
    const next = this.alternatives?.shift();
    if (next === undefined || !this.mayFailOver()) return false;
    if (answered !== undefined) this.leaveBehind(answered, source!);
    this.stopTimers();
    this.sent = undefined;
    this.moveTo(next);
    const request = this.request;
    const top = request.topVia!;
    top.params.set('branch', this.ctx.failoverBranch(top.branch ?? ''));
    request.setTopVia(top);
    this.ctx.rekey(this, clientKeyForRequest(request));
    this.rewind();
    this.start();
    return true;
  }

  /** Whether the owner still wants the request delivered elsewhere (not once it cancelled it). */
  protected mayFailOver(): boolean {
    return true;
  }

  /** Whatever the old branch still owes the 503 it got (the INVITE's ACK); nothing for non-INVITE. */
  protected leaveBehind(_answered: SipResponse, _source: MessageSource): void {}

  /** Back to the initial state, before `start()` again on the next target. */
  protected abstract rewind(): void;

  private synthesise(status: number, reason: string): SipResponse {
    return SipResponse.fromRequest(this.request, status, reason);
  }
}
