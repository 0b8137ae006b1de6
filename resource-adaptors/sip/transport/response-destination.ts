import type { SipResponse, Via } from '../message/index.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { stripBrackets } from './ip-address.js';
import { defaultPort } from './transport-options.js';
import type { MessageSource, ResponseDestination } from './transport-types.js';

/**
 * RFC 3261 §18.2.2 with RFC 3581 §4: where a response goes, from its top
 * Via and, when known, where the request came from.
 */
export function responseDestination(response: SipResponse, source?: MessageSource): ResponseDestination {
  const via = response.topVia;
  if (via === undefined) throw new SleetError(ErrorCode.SIP_TRANSPORT, 'response has no Via to route it');
  return viaDestination(via, source);
}

/** The same from the response's top Via alone. */
export function viaDestination(via: Via, source?: MessageSource): ResponseDestination {
  const transport = via.transport;
  if (transport !== 'UDP' && transport !== 'TCP' && transport !== 'TLS' && transport !== 'WS' && transport !== 'WSS') {
    throw new SleetError(ErrorCode.SIP_TRANSPORT, `unsupported Via transport ${transport}`);
  }
  const viaPort = via.port ?? defaultPort(transport);
  const rport = via.rport;
  const received = via.received;
  if (transport !== 'UDP') {
    const dest: ResponseDestination = {
      transport,
      host: stripBrackets(received ?? via.host),
      port: typeof rport === 'number' ? rport : viaPort,
    };
    if (source?.connectionId !== undefined) dest.connectionId = source.connectionId;
    return dest;
  }
  const maddr = via.param('maddr');
  if (maddr) return { transport, host: stripBrackets(maddr), port: viaPort };
  if (typeof rport === 'number' || (rport === null && source !== undefined)) {
    // rport: back to the exact source address and port the request came from.
    if (source !== undefined) return { transport, host: source.remoteAddress, port: source.remotePort };
    return { transport, host: stripBrackets(received ?? via.host), port: rport ?? viaPort };
  }
  return { transport, host: stripBrackets(received ?? via.host), port: viaPort };
}
