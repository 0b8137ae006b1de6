import type { Clock } from '../../../base/clock/clock.js';
import type { TransportProtocol, TransportTarget } from './transport-types.js';
import type { WorkerSet } from './worker-handoff.js';

/** Certificate material for TLS (PEM strings or buffers, as node:tls takes them). */
export interface TlsSettings {
  key?: string | Buffer;
  cert?: string | Buffer;
  ca?: string | Buffer | Array<string | Buffer>;
  /** Server side: ask peers for a client certificate. */
  requestCert?: boolean;
  /** Refuse peers whose certificate does not verify (default true). */
  rejectUnauthorized?: boolean;
}

export interface ListenPointOptions {
  transport: TransportProtocol;
  /** IP literal to bind ('0.0.0.0', '::', '127.0.0.1', '::1') or 'localhost'. */
  host: string;
  /** 0 picks a free port; default 5060 (5061 for TLS). */
  port?: number;
  /** Via sent-by to advertise when it differs from the bound address (NAT, DNS name). */
  advertisedHost?: string;
  advertisedPort?: number;
  /** Required for TLS and WSS listen points. */
  tls?: TlsSettings;
  /**
   * UDP with `workers`: the port every worker reads (in node:cluster, the
   * handle the primary shares); what arrives on it goes to the worker that
   * owns its Call-ID. Without it, a UDP listen point on the worker's own
   * port is bound exclusively, outside the cluster's sharing.
   */
  shared?: boolean;
}

export interface TransportLayerOptions {
  /** Drives idle-connection timers; defaults to a SystemClock the layer owns. */
  clock?: Clock;
  /** Largest message accepted, in bytes (default 65535). */
  maxMessageSize?: number;
  /**
   * Receive buffer asked of the kernel for each UDP socket, in bytes (default
   * 4 MiB; Linux caps it at net.core.rmem_max). The usual 208 KB default drops
   * datagrams in the bursts a GC pause or a SIPp rate period makes.
   */
  udpReceiveBufferSize?: number;
  /** RFC 3261 §18.1.1: requests larger than this go over TCP instead of UDP (default 1300). */
  udpMtuLimit?: number;
  /**
   * Connections that carry no whole message, keep-alive or outgoing data for
   * this long are closed (default 300 s). Bytes of an unfinished message do
   * not count as activity.
   */
  idleConnectionTimeoutMs?: number;
  /**
   * Slowloris deadline: a message on a TCP/TLS connection must be whole,
   * header section and body, within this time of its first byte, and a TLS
   * handshake must finish within it too; else the connection is closed
   * (default 10 s).
   */
  messageTimeoutMs?: number;
  /** Incoming connections beyond this, from all sources together, are refused (default 10000). */
  maxConnections?: number;
  /** Incoming connections beyond this from one remote address are refused (default 100). */
  maxConnectionsPerSource?: number;
  /** Bytes queued unsent on one connection before it is dropped as stuck (default 1 MiB). */
  maxWriteBuffer?: number;
  /**
   * WebSocket keep-alive: each connection is pinged this often, and one whose
   * pong to the previous ping has not come is closed (default 30 s). WebSocket
   * connections have no idle timeout: a registered browser may stay silent.
   */
  webSocketPingIntervalMs?: number;
  /** Outgoing TCP/TLS/WS connect deadline (default 10 s). */
  connectTimeoutMs?: number;
  /**
   * One of several worker processes serving one SIP address: requests leave
   * from, and Via and Record-Route name, the worker's own UDP port, and a
   * datagram read on the shared listen point that another worker owns is
   * handed to it (see WorkerHandoff).
   */
  workers?: WorkerSet;
  /** Client side TLS settings; defaults to the first TLS listen point's. */
  tlsClient?: TlsSettings;
  /**
   * RFC 3263 §5: where a response goes when its connection and the Via's
   * received address fail (the stack passes its server locator). Without it
   * such a response fails.
   */
  locateSentBy?: (transport: TransportProtocol, host: string, port: number | undefined) => Promise<TransportTarget[]>;
  /** Unexpected errors inside socket callbacks; the layer never throws them. */
  onError?: (err: unknown) => void;
  /**
   * Input refused as malformed (unparseable bytes, a framing error) and
   * responses that could not be sent for their size: what, and with whom.
   */
  onMalformed?: (reason: string, peer: string) => void;
}

/** RFC 3261 §19.1.2 for UDP/TCP/TLS; a WebSocket's port is its URL's (RFC 6455 §3: 80 for ws, 443 for wss). */
export function defaultPort(transport: TransportProtocol | string): number {
  if (transport === 'WS') return 80;
  if (transport === 'WSS') return 443;
  return transport === 'TLS' ? 5061 : 5060;
}
