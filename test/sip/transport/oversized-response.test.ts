import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { parseMessage, SipResponse, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { SipStack } from '../../../resource-adaptors/sip/stack/index.js';
import type { TransportLayer } from '../../../resource-adaptors/sip/transport/transport-layer.js';
import { closePeers, startLayer, udpPeer, waitFor } from './helpers.js';

const layers: TransportLayer[] = [];
const stacks: SipStack[] = [];
after(async () => {
  closePeers();
  await Promise.all([...layers.map((l) => l.close()), ...stacks.map((s) => s.close())]);
});

/** A request whose Via values, one per line in a response, make that response bigger than a datagram can carry. */
function manyVias(port: number, count: number, callId: string): string {
  const rest = Array.from({ length: count - 1 }, (_, i) => `SIP/2.0/UDP h${i % 10}`).join(',');
  return (
    `OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${callId}\r\nv: ${rest}\r\n` +
    `Max-Forwards: 70\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`
  );
}

describe('responses too big for a datagram (RFC 3261 §18)', () => {
  it('a request with 4,306 Via values over UDP gets its answer', async () => {
    const stack = new SipStack({ listen: [{ transport: 'UDP', host: '127.0.0.1', port: 0 }], domains: ['127.0.0.1'] });
    stacks.push(stack);
    const [lp] = await stack.start();
    const peer = await udpPeer();
    const request = manyVias(peer.port, 4306, 'vias4306');
    assert.ok(Buffer.byteLength(request) > 60_000 && Buffer.byteLength(request) < 65_507);
    peer.socket.send(request, lp!.port, '127.0.0.1');
    await waitFor(() => peer.got.length > 0, 'an answer');
    const answer = parseMessage(peer.got[0]!) as SipResponse;
    assert.equal(answer.status, 200);
    assert.equal(answer.vias.length, 4306, 'every Via value is echoed, in the compact form');
    assert.equal((stack.transport as TransportLayer).counters.responsesCompacted, 1);
  });

  it('a response that does not fit even in compact form becomes a 513 carrying the request Vias', async () => {
    const { layer, udpPort } = await startLayer();
    layers.push(layer);
    const peer = await udpPeer();
    const request = parseMessage(Buffer.from(manyVias(peer.port, 2000, 'big513'))) as SipRequest;
    const response = SipResponse.fromRequest(request, 200, 'OK', 'tag1');
    response.body = Buffer.alloc(60_000, 0x61);
    response.set('Content-Type', 'text/plain');
    const source = { transport: 'UDP' as const, remoteAddress: '127.0.0.1', remotePort: peer.port, localAddress: '127.0.0.1', localPort: udpPort };
    await layer.sendResponse(response, source).catch(() => undefined);
    await waitFor(() => peer.got.length > 0, 'a 513');
    const answer = parseMessage(peer.got[0]!) as SipResponse;
    assert.equal(answer.status, 513);
    assert.equal(answer.vias.length, 2000);
    assert.equal(answer.callId, 'big513');
    assert.equal(layer.counters.responsesReplacedBy513, 1);
  });

  it('a response whose Via values alone exceed a datagram is not sent, and that is counted and reported', async () => {
    const reports: string[] = [];
    const { layer, udpPort } = await startLayer({ onMalformed: (reason, peer) => reports.push(`${peer}: ${reason}`) });
    layers.push(layer);
    const peer = await udpPeer();
    const vias = Array.from({ length: 4000 }, (_, i) => `SIP/2.0/UDP ${i === 0 ? `127.0.0.1:${peer.port}` : `host-${i}.example.com`};branch=z9hG4bK${i}`);
    const response = SipResponse.create(200, 'OK', { Via: vias, From: '<sip:a@x>;tag=1', To: '<sip:b@x>;tag=2', 'Call-ID': 'huge', CSeq: '1 OPTIONS' });
    const source = { transport: 'UDP' as const, remoteAddress: '127.0.0.1', remotePort: peer.port, localAddress: '127.0.0.1', localPort: udpPort };
    await assert.rejects(layer.sendResponse(response, source), /too large for UDP/);
    assert.equal(layer.counters.responsesTooLargeDropped, 1);
    assert.equal(reports.length, 1);
    assert.match(reports[0]!, /^UDP 127\.0\.0\.1:\d+: response of \d+ bytes not sent/);
  });

  it('the compact form keeps every header value and order of values', () => {
    const request = parseMessage(Buffer.from(manyVias(5060, 3, 'compact'))) as SipRequest;
    const response = SipResponse.fromRequest(request, 200, 'OK', 'tag1');
    response.add('Contact', '<sip:a@127.0.0.1>');
    response.add('Contact', '<sip:b@127.0.0.1>;q=0.5');
    response.body = Buffer.from('hello');
    const compact = response.toCompactBuffer();
    assert.ok(compact.length < response.toBuffer().length);
    const again = parseMessage(compact) as SipResponse;
    assert.deepEqual(again.getAll('Via'), response.getAll('Via'));
    assert.deepEqual(again.getAll('Contact'), ['<sip:a@127.0.0.1>', '<sip:b@127.0.0.1>;q=0.5']);
    assert.equal(again.to.tag, 'tag1');
    assert.equal(again.body.toString(), 'hello');
  });
});
