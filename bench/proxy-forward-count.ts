import { parseMessage, SipUri, type SipRequest, type SipResponse } from '../resource-adaptors/sip/message/index.js';
import { ProxyCore } from '../resource-adaptors/sip/proxy/index.js';
import type { ServerTransaction, TransactionLayer } from '../resource-adaptors/sip/transaction/index.js';
import { TransportLayer } from '../resource-adaptors/sip/transport/transport-layer.js';
import type { MessageSource, SendResult } from '../resource-adaptors/sip/transport/transport-types.js';

/**
 * The proxy's per-call message work without sockets or timers, for
 * counting under `valgrind --tool=callgrind` (docs/performance.md): per
 * iteration a SIPp-like call through a record-routing proxy, parsed from
 * bytes and serialised to bytes as the node does: INVITE forwarded on a
 * branch, its 200 relayed (top Via off), the ACK forwarded statelessly, the
 * BYE routed on a branch, its 200 relayed. Run `node --predictable
 * --random-seed=1 dist/bench/proxy-forward-count.js <iterations>` twice;
 * the difference of the two counts divided by the difference of
 * iterations is the cost of one call. It prints the bytes sent, the same
 * for two builds that do the same work.
 */
const iterations = Number(process.argv[2] ?? 1000);
const PROXY = '127.0.0.1';

const transport = new TransportLayer();
const lp = await transport.listen({ transport: 'UDP', host: PROXY, port: 0 });
// The transport's serialisation of a request with its top Via stamped, as sendRequest does before the socket.
const stamp = (request: SipRequest): Buffer => (transport as unknown as { stampVia(r: SipRequest, t: string, f: number): Buffer }).stampVia(request, 'UDP', 4);
let bytes = 0;
const transactions = {
  clock: undefined,
  createClientTransaction(request: SipRequest): unknown {
    bytes += stamp(request).length;
    return {};
  },
  sendStateless(request: SipRequest): Promise<SendResult | undefined> {
    bytes += stamp(request).length;
    return Promise.resolve(undefined);
  },
} as unknown as TransactionLayer;
const core = new ProxyCore({
  transactions,
  isLocal: (host, port) => host === PROXY && (port === undefined || port === lp.port),
  recordRouteUri: () => SipUri.parse(`sip:${PROXY}:${lp.port}`),
  routeSecret: Buffer.alloc(32, 7),
});
const source: MessageSource = { transport: 'UDP', remoteAddress: '127.0.0.1', remotePort: 5061, localAddress: PROXY, localPort: lp.port };
const incoming = { source } as ServerTransaction;
const callee = { uri: SipUri.parse('sip:user000001@127.0.0.1:5062') };
const sdp = 'v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

function wire(lines: string[], body = ''): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

function relay(response: SipResponse): void {
  response.removeTopVia();
  bytes += response.toBuffer().length;
}

for (let i = 0; i < iterations; i++) {
  const callId = `${i}-4711@127.0.0.1`;
  const common = [`From: sipp <sip:sipp@127.0.0.1:5061>;tag=${i}SIPpTag00`, `Call-ID: ${callId}`];
  const invite = parseMessage(
    wire(
      [
        `INVITE sip:user000001@bench.sleet SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-${i}-1-0`,
        ...common,
        'To: <sip:user000001@bench.sleet>',
        'CSeq: 1 INVITE',
        'Contact: sip:sipp@127.0.0.1:5061',
        'Max-Forwards: 70',
        'Subject: Performance Test',
        'Content-Type: application/sdp',
      ],
      sdp,
    ),
  ) as SipRequest;
  core.validate(invite);
  const { request: out } = core.forwardBranch(invite, callee, true, incoming, {} as never);
  const rr = out.get('Record-Route')!;
  const ourVia = out.getAll('Via')[0]!;
  const calleeTag = `${i}SIPpTag01`;
  const answered = [
    `Via: ${ourVia}`,
    `Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-${i}-1-0`,
    `Record-Route: ${rr}`,
    ...common,
    `To: <sip:user000001@bench.sleet>;tag=${calleeTag}`,
  ];
  relay(
    parseMessage(
      wire(['SIP/2.0 200 OK', ...answered, 'CSeq: 1 INVITE', 'Contact: <sip:127.0.0.1:5062;transport=UDP>', 'Content-Type: application/sdp'], sdp),
    ) as SipResponse,
  );
  const route = rr;
  const inDialog = (method: string, cseq: number, branch: string): SipRequest =>
    parseMessage(
      wire([
        `${method} sip:127.0.0.1:5062;transport=UDP SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:5061;branch=${branch}`,
        `Route: ${route}`,
        ...common,
        `To: <sip:user000001@bench.sleet>;tag=${calleeTag}`,
        `CSeq: ${cseq} ${method}`,
        'Contact: sip:sipp@127.0.0.1:5061',
        'Max-Forwards: 70',
        'Subject: Performance Test',
      ]),
    ) as SipRequest;
  const ack = inDialog('ACK', 1, `z9hG4bK-${i}-5-0`);
  if (!core.handleAck(ack, source)) throw new Error('the ACK was not forwarded');
  const bye = inDialog('BYE', 2, `z9hG4bK-${i}-7-0`);
  if (!core.followsOurRecordRoute(bye) || core.validate(bye) !== null) throw new Error('the BYE was not routed');
  const { request: byeOut } = core.forwardBranch(bye, { uri: bye.uri.clone() }, false, incoming, {} as never);
  const byeVia = byeOut.getAll('Via')[0]!;
  relay(
    parseMessage(
      wire([
        'SIP/2.0 200 OK',
        `Via: ${byeVia}`,
        `Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-${i}-7-0`,
        ...common,
        `To: <sip:user000001@bench.sleet>;tag=${calleeTag}`,
        'CSeq: 2 BYE',
      ]),
    ) as SipResponse,
  );
}
await transport.close();
console.log(JSON.stringify({ iterations, bytes }));
