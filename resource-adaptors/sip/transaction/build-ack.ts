import { SipRequest, type SipResponse } from '../message/index.js';

/**
 * RFC 3261 §17.1.1.3: the ACK a client transaction sends for a non-2xx final
 * response. It shares the INVITE's branch (it belongs to the same transaction),
 * Request-URI, Call-ID, From and Route set, and takes To (with tag) from the response.
 */
export function buildNonSuccessAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers: Record<string, string | string[]> = {
    Via: invite.getAll('Via')[0]!,
    From: invite.get('From')!,
    To: response.get('To')!,
    'Call-ID': invite.callId,
    CSeq: `${invite.cseq.seq} ACK`,
    'Max-Forwards': '70',
  };
  const routes = invite.getAll('Route');
  if (routes.length > 0) headers['Route'] = routes;
  return SipRequest.create('ACK', invite.uri.clone(), headers);
}
