import type { SipRequest, SipResponse } from '../message/index.js';
import { sameTransactionRequest } from './same-transaction-request.js';

/**
 * RFC 3261 §17.1.1.3: the ACK a client transaction sends for a non-2xx final
 * response. It belongs to the INVITE's transaction and takes To (with tag)
 * from the response.
 */
export function buildNonSuccessAck(invite: SipRequest, response: SipResponse): SipRequest {
  return sameTransactionRequest(invite, 'ACK', response.get('To')!);
}
