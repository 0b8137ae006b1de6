import { parseMessage, SipResponse, type SipRequest } from '../../resource-adaptors/sip/message/index.js';

const SDP = 'v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

/** Where the benchmark's peers say they are. */
export interface Peer {
  host: string;
  port: number;
}

/** Bytes in a buffer of their own, as a datagram arrives (not a slice of Node's shared pool). */
function datagram(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

/** A SIPp-like INVITE with SDP, number `n`, from `uac` to `user@domain`. */
export function inviteText(n: number, uac: Peer, requestUri: string, routes: string[] = []): string {
  return (
    `INVITE ${requestUri} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP ${uac.host}:${uac.port};branch=z9hG4bK-${n}-1-0\r\n` +
    routes.map((r) => `Route: ${r}\r\n`).join('') +
    'Max-Forwards: 70\r\n' +
    `From: <sip:caller${n}@bench.test>;tag=${n}SIPpTag00${n}\r\n` +
    `To: <${requestUri}>\r\n` +
    `Call-ID: ${n}-1234@${uac.host}\r\n` +
    'CSeq: 1 INVITE\r\n' +
    `Contact: <sip:caller@${uac.host}:${uac.port}>\r\n` +
    'Content-Type: application/sdp\r\n' +
    `Content-Length: ${SDP.length}\r\n\r\n${SDP}`
  );
}

/** A SIPp-like REGISTER, number `n`. */
export function registerText(n: number, uac: Peer, domain: string): string {
  return (
    `REGISTER sip:${domain} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP ${uac.host}:${uac.port};branch=z9hG4bK-${n}-1-0\r\n` +
    'Max-Forwards: 70\r\n' +
    `From: <sip:user${n}@${domain}>;tag=${n}SIPpTag00${n}\r\n` +
    `To: <sip:user${n}@${domain}>\r\n` +
    `Call-ID: ${n}-reg@${uac.host}\r\n` +
    'CSeq: 1 REGISTER\r\n' +
    `Contact: <sip:user${n}@${uac.host}:${uac.port}>\r\n` +
    'Expires: 3600\r\n' +
    'Content-Length: 0\r\n\r\n'
  );
}

/** A UAS's answer to `request` (1xx/2xx to INVITE copy Record-Route and carry Contact and SDP), as the bytes it would send. */
export function answerText(request: SipRequest, status: number, toTag: string, uas: Peer): string {
  const response = SipResponse.fromRequest(request, status, undefined, toTag);
  if (request.method === 'INVITE' && status > 100 && status < 300) {
    const recordRoutes = request.getAll('Record-Route');
    if (recordRoutes.length > 0) response.set('Record-Route', recordRoutes);
    response.set('Contact', `<sip:service@${uas.host}:${uas.port}>`);
    if (status >= 200) {
      response.set('Content-Type', 'application/sdp');
      response.body = Buffer.from(SDP);
    }
  }
  return response.toBuffer().toString('latin1');
}

export function parseDatagram<T extends SipRequest | SipResponse>(text: string): T {
  return parseMessage(datagram(text)) as T;
}
