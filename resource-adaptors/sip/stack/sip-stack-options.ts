import type { Clock } from '../../../base/clock/clock.js';
import type { SipRequest } from '../message/index.js';
import type { ServerTransaction, TimerSettings } from '../transaction/index.js';
import type { ListenPointOptions, SipTransport, TlsSettings, TransportLayerOptions } from '../transport/index.js';
import type { SipAdmission } from './sip-admission.js';
import type { SessionTimerOptions } from '../dialog/session-timer.js';
import type { WorkerSet } from '../transport/worker-handoff.js';

/** Return true when the handler took the request (it will answer or proxy it). */
export type RequestHandler = (request: SipRequest, tx: ServerTransaction) => boolean | void;

export interface SipStackOptions {
  /** Listen points for a real TransportLayer (UDP/TCP/TLS); port 0 picks a free one. */
  listen?: ListenPointOptions[];
  /** A SipTransport to use instead of a TransportLayer (tests); `localAddress` then names us. */
  transport?: SipTransport;
  localAddress?: { host: string; port: number };
  clock?: Clock;
  timers?: Partial<TimerSettings>;
  /** Domains this stack is responsible for: Request-URIs and Routes naming them are ours. */
  domains?: string[];
  maxMessageSize?: number;
  /** Kernel receive buffer per UDP socket, bytes (TransportLayerOptions.udpReceiveBufferSize). */
  udpReceiveBufferSize?: number;
  /** One of several worker processes on one SIP address (TransportLayerOptions.workers). */
  workers?: WorkerSet;
  /** TCP/TLS connection limits for the TransportLayer (TransportLayerOptions of the same names). */
  connectionLimits?: Pick<TransportLayerOptions, 'idleConnectionTimeoutMs' | 'messageTimeoutMs' | 'maxConnections' | 'maxConnectionsPerSource'>;
  /**
   * DNS servers for RFC 3263 server location, 'host' or 'host:port'
   * ('127.0.0.1:5353', '[::1]:53'); the system's resolver when absent. Only
   * with the stack's own transport: a `transport` given here gets targets as named.
   */
  dnsServers?: string[];
  /** Client side TLS settings (TransportLayerOptions.tlsClient). */
  tlsClient?: TlsSettings;
  /**
   * `ua` (default): out-of-dialog requests with an unknown method (501) or
   * Require (420) are refused before the handler sees them. `proxy`: they
   * are the proxy core's business (it checks Proxy-Require instead).
   */
  role?: 'ua' | 'proxy';
  /** Option tags we support (Require checks, Supported in OPTIONS answers and our INVITEs); default `['100rel']`. */
  supported?: string[];
  /**
   * RFC 4028 session timers for INVITE dialogs (UAC and UAS): present turns
   * them on (`{}` for the defaults: 1800 s asked, Min-SE 90 s) and adds
   * `timer` to the supported option tags. Off when absent.
   */
  sessionTimers?: SessionTimerOptions;
  /** Methods advertised in Allow (OPTIONS, 405). */
  allow?: string[];
  /**
   * The status and extra headers of the answer to OPTIONS for the server
   * itself: a clustered node says whether it is open or draining, so that
   * a dispatcher probing with OPTIONS takes a draining node out. 200 by default.
   */
  optionsAnswer?: () => { status: number; headers: Record<string, string> };
  /** `routeSecret`: key of the Record-Route tokens (ProxyCoreOptions.routeSecret). */
  proxy?: { timerC?: number; supportedProxyRequire?: string[]; routeSecret?: Buffer };
  onRequest?: RequestHandler;
  /** Overload control: asked before each new out-of-dialog request gets a transaction; see `SipAdmission`. */
  admission?: SipAdmission;
  /**
   * While false, overload control refuses only after a full parse, so that
   * every message reaches the transport's observers (a message trace);
   * default: always true, and requests shed while admission sheds are
   * answered from a scan of their head (see `OverloadScreen`).
   */
  screenWhen?: () => boolean;
  /** Exceptions from handlers and listeners; the stack keeps running. */
  onError?: (err: unknown) => void;
  /**
   * One line per malformed message (no stack trace), at most 10 a minute;
   * the rest are counted (`SipStack.malformedInput`). Default: not logged.
   */
  logMalformed?: (line: string) => void;
}
