import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import { responseDestination } from '../transport/response-destination.js';
import { isReliable, type MessageSource } from '../transport/transport-types.js';
import type { TransactionContext } from './transaction-context.js';
import { isRfc2543Key } from './transaction-keys.js';
import { Transaction } from './transaction.js';
import { WireCopy } from './wire-copy.js';

/** RFC 2543 matching (§17.2.3) compares To tags too: the request's, and for its ACK our response's. */
interface LegacyTags {
  request: string | undefined;
  response: string | undefined;
}

/** Shared behaviour of the INVITE and non-INVITE server machines (§17.2). */
export abstract class ServerTransaction extends Transaction {
  /** While Proceeding: the last provisional, re-sent on a request retransmission. */
  private provisional: SipResponse | undefined = undefined;
  /** Once Completed: the final response's bytes, re-sent on a request retransmission (and Timer G). */
  private final: WireCopy | undefined = undefined;
  private readonly legacyTags: LegacyTags | undefined = undefined;

  constructor(
    ctx: TransactionContext,
    id: string,
    request: SipRequest,
    /** Where the request came from; responses go back over its connection when still open. */
    readonly source: MessageSource,
  ) {
    super(ctx, id, request);
    if (isRfc2543Key(id)) this.legacyTags = { request: request.to.tag, response: undefined };
  }

  get reliable(): boolean {
    return isReliable(this.source.transport);
  }

  /** True until a final response went out: the TU still owes one. */
  abstract get awaitingFinal(): boolean;

  /** Passes a response from the TU down through the machine. Throws SIP_TRANSACTION when the state forbids it. */
  abstract respond(response: SipResponse): void;

  /** A retransmission of the request (or, for INVITE, an ACK) matched this transaction. */
  abstract receive(request: SipRequest, source: MessageSource): void;

  /** Key matching aside, an RFC 2543 request must carry the right To tag; RFC 3261 ones always match. */
  toTagMatches(request: SipRequest): boolean {
    const tags = this.legacyTags;
    if (tags === undefined) return true;
    return request.to.tag === (request.method === 'ACK' ? tags.response : tags.request);
  }

  protected send(response: SipResponse): void {
    const request = this.heldRequest;
    if (request !== undefined) response.takeTopViaOf(request);
    this.ctx.transport.sendResponse(response, this.source).catch(() => this.terminate('transport-error'));
  }

  protected sendProvisional(response: SipResponse): void {
    this.provisional = response;
    this.noteResponse(response);
    this.send(response);
  }

  /**
   * Sends the final response and lets go of the parsed messages: what the
   * wait state re-sends (`keep`: Completed) stays as bytes, an INVITE 2xx
   * (RFC 6026 Accepted: the TU re-sends it) not even that.
   */
  protected sendFinal(response: SipResponse, keep: boolean): void {
    this.noteResponse(response);
    this.send(response);
    this.provisional = undefined;
    if (keep) this.final = this.copyOf(response);
    this.releaseRequest();
  }

  protected resendLast(): void {
    if (this.final !== undefined) this.final.send(this.ctx.transport, this.source).catch(() => this.terminate('transport-error'));
    else if (this.provisional !== undefined) this.send(this.provisional);
  }

  private noteResponse(response: SipResponse): void {
    if (this.legacyTags !== undefined) this.legacyTags.response = response.to.tag;
  }

  /** A response the transport cannot route failed in send() too, which ends the transaction: nothing to repeat. */
  private copyOf(response: SipResponse): WireCopy | undefined {
    try {
      return new WireCopy(response, responseDestination(response, this.source), this.source);
    } catch (err) {
      if (SleetError.is(err, ErrorCode.SIP_TRANSPORT)) return undefined;
      throw err;
    }
  }
}
