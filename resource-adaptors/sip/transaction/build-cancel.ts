import { SipRequest } from '../message/index.js';

/**
 * RFC 3261 §9.1: a CANCEL for a pending request. Request-URI, Call-ID, From,
 * To and CSeq number are the request's, the single Via is the request's top
 * Via (same branch, so the server can match it), and the Route set is kept.
 */
export function buildCancel(request: SipRequest): SipRequest {
  const headers: Record<string, string | string[]> = {
    Via: request.getAll('Via')[0]!,
    From: request.get('From')!,
    To: request.get('To')!,
    'Call-ID': request.callId,
    CSeq: `${request.cseq.seq} CANCEL`,
    'Max-Forwards': '70',
  };
  const routes = request.getAll('Route');
  if (routes.length > 0) headers['Route'] = routes;
  return SipRequest.create('CANCEL', request.uri.clone(), headers);
}
