import type { SipRequest, SipResponse } from '../message/index.js';
import type { MessageSource } from '../transport/transport-types.js';
import type { ClientTransaction } from './client-transaction.js';
import type { ServerTransaction } from './server-transaction.js';
import type { Transaction } from './transaction.js';

/**
 * What sits above the transaction layer (dialog layer, proxy core, RA):
 * it receives what the transaction layer does not absorb.
 */
export interface TransactionUser {
  /** A request that matched no transaction; answer it with `tx.respond()`. CANCEL arrives here too. */
  onRequest(tx: ServerTransaction, request: SipRequest): void;
  /**
   * A new request, no To-tag, that is neither ACK, CANCEL nor BYE, before a
   * transaction is made for it: return true when it was refused without one
   * (overload). Work in progress never gets here.
   */
  shed?(request: SipRequest, source: MessageSource): boolean;
  /** An ACK no INVITE server transaction absorbed: the ACK for a 2xx (stray or received in Accepted). */
  onAck?(ack: SipRequest, source: MessageSource): void;
  /** A response matching no client transaction (e.g. a 2xx retransmission after Timer M). */
  onStrayResponse?(response: SipResponse, source: MessageSource): void;
  /** Any transaction (server or client) left the layer; see `tx.terminationReason`. */
  onTransactionTerminated?(tx: Transaction): void;
}

/** Whoever started a client transaction gets its responses, real or synthesised. */
export interface ClientTransactionOwner {
  /**
   * Provisional and final responses. On Timer B/F a synthesised 408 arrives,
   * on a transport failure a synthesised 503 (`tx.terminationReason` tells which).
   * For INVITE, 2xx retransmissions and forked 2xx received in Accepted arrive here too.
   */
  onResponse(response: SipResponse, tx: ClientTransaction): void;
  onTerminated?(tx: ClientTransaction): void;
}
