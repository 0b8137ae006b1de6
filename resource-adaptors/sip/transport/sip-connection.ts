import type { TransportProtocol } from './transport-types.js';

/**
 * One connection-oriented flow (TCP, TLS, WS or WSS) as the transport layer
 * sees it: where it goes, and a way to write one message to it. The
 * connection table holds them; ids are unique across every kind.
 */
export interface SipConnection {
  readonly id: number;
  readonly transport: Exclude<TransportProtocol, 'UDP'>;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly isOpen: boolean;
  /** Queues one message; false (and the connection dropped) when closed or when the peer is not reading. */
  write(data: Buffer): boolean;
  close(): void;
}

/** What a connection reports to the transport layer. */
export interface ConnectionHooks {
  /** One framed message (not yet parsed). */
  onMessage(data: Buffer, connection: SipConnection): void;
  onKeepAlive(connection: SipConnection): void;
  onFramingError(err: unknown, connection: SipConnection): void;
  /** The peer missed a deadline (a message not whole in time, a WebSocket pong not back); the connection is being closed. */
  onMessageTimeout(connection: SipConnection): void;
  onClose(connection: SipConnection): void;
  onError(err: unknown): void;
}

let lastConnectionId = 0;

export function nextConnectionId(): number {
  return ++lastConnectionId;
}
