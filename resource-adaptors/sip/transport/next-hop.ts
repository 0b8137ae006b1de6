import type { SipRequest, SipUri } from '../message/index.js';
import { ipFamily } from './ip-address.js';
import { isWebSocket, type TransportProtocol, type TransportTarget } from './transport-types.js';

const BY_PARAM: Readonly<Record<string, TransportProtocol>> = { TCP: 'TCP', TLS: 'TLS', WS: 'WS', WSS: 'WSS' };

/**
 * Where a URI points: maddr, port and the transport parameter honoured;
 * sips: means TLS (or WSS, RFC 7118 §5.2). A host name keeps its URI for RFC 3263.
 */
export function uriTarget(uri: SipUri): TransportTarget {
  const param = uri.transport?.toUpperCase();
  let transport: TransportProtocol = (param !== undefined ? BY_PARAM[param] : undefined) ?? 'UDP';
  if (uri.scheme === 'sips') transport = transport === 'WS' || transport === 'WSS' ? 'WSS' : 'TLS';
  const host = uri.param('maddr') ?? uri.host;
  // Built whole: a property added afterwards would cost the target a separate property store.
  const target: TransportTarget = uri.port === undefined ? { transport, host } : { transport, host, port: uri.port };
  // Literals (the benchmarks' hot path) carry nothing more: only a name is worth an RFC 3263 lookup. WebSocket
  // has no DNS procedure: its clients' made-up names (RFC 7118 §5.2) are reached over their connection.
  if (!isWebSocket(transport) && ipFamily(target.host) === 0 && target.host.toLowerCase() !== 'localhost') target.uri = uri;
  return target;
}

/**
 * RFC 3261 §8.1.2 including the strict-router case: the first Route when it
 * is a loose router (`;lr`), otherwise the Request-URI, which the
 * strict-route fix-up (§12.2.1.1) has set to that strict router.
 */
export function nextHopForRequest(request: SipRequest): TransportTarget {
  const first = request.routes[0];
  return uriTarget(first !== undefined && first.uri.param('lr') !== undefined ? first.uri : request.uri);
}
