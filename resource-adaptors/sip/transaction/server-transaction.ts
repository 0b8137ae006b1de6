import type { SipRequest, SipResponse } from '../message/index.js';
import { isReliable, type MessageSource } from '../transport/transport-types.js';
import type { TransactionContext } from './transaction-context.js';
import { Transaction } from './transaction.js';

/** Shared behaviour of the INVITE and non-INVITE server machines (§17.2). */
export abstract class ServerTransaction extends Transaction {
  /** The most recent response the TU passed down; re-sent on request retransmissions. */
  lastResponse?: SipResponse;

  constructor(
    ctx: TransactionContext,
    id: string,
    request: SipRequest,
    /** Where the request came from; responses go back over its connection when still open. */
    readonly source: MessageSource,
  ) {
    super(ctx, id, request);
  }

  get reliable(): boolean {
    return isReliable(this.source.transport);
  }

  /** Passes a response from the TU down through the machine. Throws SIP_TRANSACTION when the state forbids it. */
  abstract respond(response: SipResponse): void;

  /** A retransmission of the request (or, for INVITE, an ACK) matched this transaction. */
  abstract receive(request: SipRequest, source: MessageSource): void;

  protected send(response: SipResponse): void {
    this.ctx.transport.sendResponse(response, this.source).catch(() => this.terminate('transport-error'));
  }

  protected resendLast(): void {
    if (this.lastResponse !== undefined) this.send(this.lastResponse);
  }
}
