import type { SipRequest, SipUri } from '../message/index.js';
import type { TransportProtocol, TransportTarget } from '../transport/transport-types.js';

/** Where a URI points: maddr, port and the transport parameter honoured; sips: means TLS. */
export function uriTarget(uri: SipUri): TransportTarget {
  const param = uri.transport?.toUpperCase();
  let transport: TransportProtocol = param === 'TCP' ? 'TCP' : param === 'TLS' ? 'TLS' : 'UDP';
  if (uri.scheme === 'sips') transport = 'TLS';
  const target: TransportTarget = { transport, host: uri.params.get('maddr') ?? uri.host };
  if (uri.port !== undefined) target.port = uri.port;
  return target;
}

/**
 * RFC 3261 §8.1.2 including the strict-router case: the first Route when it
 * is a loose router (`;lr`), otherwise the Request-URI, which the
 * strict-route fix-up (§12.2.1.1) has set to that strict router.
 */
export function nextHopForRequest(request: SipRequest): TransportTarget {
  const first = request.routes[0];
  return uriTarget(first !== undefined && first.uri.params.has('lr') ? first.uri : request.uri);
}
