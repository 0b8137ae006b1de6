import type { SipRequest, SipResponse } from '../message/index.js';
import type { ResponseDestination } from './response-destination.js';

export type TransportProtocol = 'UDP' | 'TCP' | 'TLS';

/** Reliable transports get no retransmissions and zero wait timers (§17). */
export function isReliable(transport: TransportProtocol): boolean {
  return transport !== 'UDP';
}

/** Where a received message came from and which local listen point took it. */
export interface MessageSource {
  transport: TransportProtocol;
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  /** Set for TCP/TLS: the connection the message arrived on. */
  connectionId?: number;
}

/** Next hop for a request: resolved by the transport (IP literals, localhost, dns.lookup). */
export interface TransportTarget {
  transport: TransportProtocol;
  host: string;
  /** Defaults to 5060 (5061 for TLS). */
  port?: number;
}

/** What the transport actually did, which may differ from what was asked (UDP→TCP switch). */
export interface SendResult {
  transport: TransportProtocol;
  reliable: boolean;
  remoteAddress: string;
  remotePort: number;
  connectionId?: number;
}

export type MessageReceiver = (message: SipRequest | SipResponse, source: MessageSource) => void;

/**
 * The contract between the transaction layer and whatever moves bytes:
 * `TransportLayer` for real sockets, an in-memory double in tests.
 * Send failures reject; they never throw synchronously.
 */
export interface SipTransport {
  setReceiver(receiver: MessageReceiver): void;
  /** Sends a request to its next hop, rewriting the top Via's transport and sent-by. */
  sendRequest(request: SipRequest, target: TransportTarget): Promise<SendResult>;
  /** Sends a response per RFC 3261 §18.2.2 / RFC 3581, over `source`'s connection when still open. */
  sendResponse(response: SipResponse, source?: MessageSource): Promise<SendResult>;
  /**
   * Sends bytes serialised earlier to the destination worked out then: a
   * transaction's retransmission from its wait state (RFC 3261 §17), which
   * keeps the bytes rather than the parsed message. With `source`, as
   * `sendResponse`: over its connection while open, UDP from the socket it arrived on.
   */
  resend(bytes: Buffer, destination: ResponseDestination, source?: MessageSource): Promise<SendResult>;
}
