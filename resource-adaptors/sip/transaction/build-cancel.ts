import type { SipRequest } from '../message/index.js';
import { sameTransactionRequest } from './same-transaction-request.js';

/**
 * RFC 3261 §9.1: a CANCEL for a pending request, with the request's To and
 * top Via (same branch, so the server can match it).
 */
export function buildCancel(request: SipRequest): SipRequest {
  return sameTransactionRequest(request, 'CANCEL', request.get('To')!);
}
