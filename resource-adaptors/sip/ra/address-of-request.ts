import { uriAddress, type SipRequest } from '../message/index.js';

/**
 * The address a request is fired with, for initial-event selection: the
 * To address of record (`sip:user@host`), lower-cased host, no parameters.
 * Registrars converge on it per AOR; screening and forwarding per callee.
 */
export function addressOfRequest(request: SipRequest): string | undefined {
  try {
    const uri = request.to.uri;
    if (uri.scheme !== 'sip' && uri.scheme !== 'sips') return undefined;
    return uriAddress(uri);
  } catch {
    return undefined;
  }
}
