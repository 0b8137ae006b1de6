import { SipResponse, type SipRequest } from '../message/index.js';
import type { ResponseDestination } from '../transport/response-destination.js';
import { defaultPort } from '../transport/transport-options.js';
import { isReliable, type MessageSource, type SendResult, type TransportTarget } from '../transport/transport-types.js';
import type { TransactionContext } from './transaction-context.js';
import type { ClientTransactionOwner } from './transaction-user.js';
import { Transaction } from './transaction.js';
import type { WireCopy } from './wire-copy.js';

/** Shared behaviour of the INVITE and non-INVITE client machines (§17.1). */
export abstract class ClientTransaction extends Transaction {
  /** Set once the first send completes: where the request really went (after any UDP→TCP switch). */
  sent?: SendResult;
  /** Whether a final response (real or synthesised) has reached the owner. */
  protected finalDelivered = false;

  constructor(
    ctx: TransactionContext,
    id: string,
    request: SipRequest,
    readonly target: TransportTarget,
    readonly owner: ClientTransactionOwner,
  ) {
    super(ctx, id, request);
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
    this.ctx.transport.sendRequest(this.request, this.target).then(
      (result) => {
        this.sent = result;
        if (!this.isTerminated) onSent();
      },
      (err: unknown) => this.transportError(err),
    );
  }

  protected retransmit(message: SipRequest = this.request): void {
    this.ctx.transport.sendRequest(message, this.nextHop).catch((err: unknown) => this.transportError(err));
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
    if (final) this.finalDelivered = true;
    this.callUser(() => this.owner.onResponse(response, this));
    if (final) this.releaseRequest();
  }

  /** §17.1.4: a transport failure is reported to the TU as a 503. */
  protected transportError(_err: unknown): void {
    if (this.isTerminated) return;
    if (!this.finalDelivered) this.deliver(this.synthesise(503, 'Service Unavailable'));
    this.terminate('transport-error');
  }

  /** Timer B/F: the TU sees a 408 as if the next hop had sent it. */
  protected timeout(): void {
    if (!this.finalDelivered) this.deliver(this.synthesise(408, 'Request Timeout'));
    this.terminate('timeout');
  }

  protected override onTerminated(): void {
    this.callUser(() => this.owner.onTerminated?.(this));
  }

  private synthesise(status: number, reason: string): SipResponse {
    return SipResponse.fromRequest(this.request, status, reason);
  }
}
