import type { SipRequest, SipResponse, SipUri } from '../message/index.js';

export type TransportProtocol = 'UDP' | 'TCP' | 'TLS' | 'WS' | 'WSS';

/** Where a response goes (RFC 3261 §18.2.2); `responseDestination` works it out. */
export interface ResponseDestination {
  transport: TransportProtocol;
  host: string;
  port: number;
  /** Reliable transports: send over the request's connection when it is still open. */
  connectionId?: number;
}

/** Reliable transports get no retransmissions and zero wait timers (§17). */
export function isReliable(transport: TransportProtocol): boolean {
  return transport !== 'UDP';
}

/** SIP over WebSocket (RFC 7118): one message per frame, over a connection only the client can open in practice. */
export function isWebSocket(transport: TransportProtocol): transport is 'WS' | 'WSS' {
  return transport === 'WS' || transport === 'WSS';
}

/** Where a received message came from and which local listen point took it. */
export interface MessageSource {
  transport: TransportProtocol;
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  /** Set for TCP, TLS, WS and WSS: the connection the message arrived on. */
  connectionId?: number;
}

/** Next hop for a request: resolved by the transport (IP literals, localhost, dns.lookup). */
export interface TransportTarget {
  transport: TransportProtocol;
  host: string;
  /** Defaults to 5060 (5061 for TLS). */
  port?: number;
  /**
   * The URI a host name came from (`uriTarget` sets it, never for an IP
   * literal): a client transaction of a stack with DNS locates it by
   * RFC 3263 before its first send, and fails over along what it found.
   */
  uri?: SipUri;
  /** An RFC 5626 flow: only over this open connection (the request fails when it is gone), whatever host and port say. */
  connectionId?: number;
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

/** One message on the wire as the transport handled it, for message traces and call accounting. */
export interface WireMessage {
  readonly direction: 'in' | 'out';
  readonly transport: TransportProtocol;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly bytes: Buffer;
  /** The parsed message; absent for a retransmission sent from the bytes a transaction kept. */
  readonly message: SipRequest | SipResponse | undefined;
}

export type WireObserver = (wire: WireMessage) => void;
