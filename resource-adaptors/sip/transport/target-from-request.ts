import type { SipRequest } from '../message/index.js';
import type { TransportProtocol, TransportTarget } from './transport-types.js';

/**
 * The next hop a request goes to by its own headers (RFC 3261 §8.1.2):
 * the first Route if any, else the Request-URI; maddr, port and the
 * transport parameter honoured; sips: means TLS. Unknown transports fall
 * back to UDP. No RFC 3263 DNS procedures.
 */
export function targetFromRequest(request: SipRequest): TransportTarget {
  const uri = request.routes[0]?.uri ?? request.uri;
  const param = uri.transport?.toUpperCase();
  let transport: TransportProtocol = param === 'TCP' ? 'TCP' : param === 'TLS' ? 'TLS' : 'UDP';
  if (uri.scheme === 'sips') transport = 'TLS';
  const maddr = uri.params.get('maddr');
  const target: TransportTarget = { transport, host: maddr ?? uri.host };
  if (uri.port !== undefined) target.port = uri.port;
  return target;
}
