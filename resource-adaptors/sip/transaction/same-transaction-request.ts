import { SipRequest } from '../message/index.js';

/**
 * A request that rides on an INVITE's transaction (RFC 3261 §9.1 CANCEL,
 * §17.1.1.3 ACK for a non-2xx): the INVITE's top Via (same branch),
 * Request-URI, Call-ID, From, CSeq number and Route set, with its own method.
 */
export function sameTransactionRequest(invite: SipRequest, method: string, to: string): SipRequest {
  const headers: Record<string, string | string[]> = {
    Via: invite.getAll('Via')[0]!,
    From: invite.get('From')!,
    To: to,
    'Call-ID': invite.callId,
    CSeq: `${invite.cseq.seq} ${method}`,
    'Max-Forwards': '70',
  };
  const routes = invite.getAll('Route');
  if (routes.length > 0) headers['Route'] = routes;
  return SipRequest.create(method, invite.uri.clone(), headers);
}
