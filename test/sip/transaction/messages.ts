import { parseMessage, SipRequest, SipResponse } from '../../../resource-adaptors/sip/message/index.js';

export interface RequestSpec {
  method?: string;
  branch?: string;
  /** Omit the whole branch parameter (RFC 2543 peer). */
  noBranch?: boolean;
  cseq?: number;
  toTag?: string;
  callId?: string;
  transport?: string;
}

export function request(spec: RequestSpec = {}): SipRequest {
  const method = spec.method ?? 'INVITE';
  const branch = spec.noBranch ? '' : `;branch=${spec.branch ?? 'z9hG4bKtest1'}`;
  const toTag = spec.toTag === undefined ? '' : `;tag=${spec.toTag}`;
  const text =
    `${method} sip:bob@127.0.0.1 SIP/2.0\r\n` +
    `Via: SIP/2.0/${spec.transport ?? 'UDP'} 127.0.0.1:5070${branch}\r\n` +
    `Max-Forwards: 70\r\n` +
    `From: <sip:alice@127.0.0.1>;tag=from1\r\n` +
    `To: <sip:bob@127.0.0.1>${toTag}\r\n` +
    `Call-ID: ${spec.callId ?? 'call-1@127.0.0.1'}\r\n` +
    `CSeq: ${spec.cseq ?? 1} ${method === 'ACK' ? 'ACK' : method}\r\n` +
    `Content-Length: 0\r\n\r\n`;
  return parseMessage(Buffer.from(text)) as SipRequest;
}

/** A response as the peer would send it: parsed from bytes, so it is a distinct object each time. */
export function response(req: SipRequest, status: number, toTag?: string): SipResponse {
  const built = SipResponse.fromRequest(req, status, undefined, status > 100 ? (toTag ?? 'to1') : undefined);
  return parseMessage(built.toBuffer()) as SipResponse;
}

/** An ACK as a UAC sends it for a non-2xx (same branch) or a 2xx (new branch). */
export function ack(invite: SipRequest, toTag: string, branch: string): SipRequest {
  return request({ method: 'ACK', branch, toTag, cseq: invite.cseq.seq, callId: invite.callId });
}
