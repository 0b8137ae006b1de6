import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import { after, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { FakeClock } from '../../../base/clock/fake-clock.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { SipResponse, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { TransportLayer } from '../../../resource-adaptors/sip/transport/transport-layer.js';
import type { TlsSettings, TransportLayerOptions } from '../../../resource-adaptors/sip/transport/transport-options.js';
import { makeTestCertificate } from '../../helpers/test-certificate.js';
import { parse, requestText, waitFor, type Received } from './helpers.js';

const layers: TransportLayer[] = [];
const clients: WebSocket[] = [];
after(async () => {
  for (const c of clients) c.terminate();
  await Promise.all(layers.map((l) => l.close()));
});

async function wsLayer(options: TransportLayerOptions = {}, tls?: TlsSettings) {
  const layer = new TransportLayer(options);
  layers.push(layer);
  const received: Received[] = [];
  layer.setReceiver((message, source) => received.push({ message, source }));
  await layer.listen({ transport: 'UDP', host: '127.0.0.1', port: 0 });
  const lp = await layer.listen({ transport: tls === undefined ? 'WS' : 'WSS', host: '127.0.0.1', port: 0, ...(tls ? { tls } : {}) });
  return { layer, received, port: lp.port };
}

/** A browser-like SIP client: one WebSocket with subprotocol `sip`, collecting the text of every frame. */
async function client(url: string, options: { protocol?: string; autoPong?: boolean; ca?: Buffer } = {}) {
  const socket = new WebSocket(url, options.protocol ?? 'sip', { autoPong: options.autoPong ?? true, ...(options.ca ? { ca: options.ca } : {}) });
  clients.push(socket);
  const frames: string[] = [];
  let closed = false;
  socket.on('message', (data) => frames.push(data.toString()));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
  });
  return { socket, frames, closed: () => closed };
}

const wsVia = (branch: string) => `SIP/2.0/WS df7jal23ls0d.invalid;branch=${branch}`;

describe('TransportLayer over WebSocket (RFC 7118)', () => {
  it('takes one SIP message per frame, stamps received/rport and answers on the same connection', async () => {
    const { layer, received, port } = await wsLayer();
    const peer = await client(`ws://127.0.0.1:${port}`);
    assert.equal(peer.socket.protocol, 'sip');
    peer.socket.send(requestText({ branch: 'z9hG4bKw1', via: `${wsVia('z9hG4bKw1')};rport` }));
    peer.socket.send(requestText({ branch: 'z9hG4bKw2', via: wsVia('z9hG4bKw2') }).replace(/Content-Length: 0\r\n/, ''));
    await waitFor(() => received.length === 2, 'two requests');
    const { message, source } = received[0]!;
    const request = message as SipRequest;
    assert.equal(source.transport, 'WS');
    assert.equal(request.topVia!.transport, 'WS');
    assert.equal(request.topVia!.received, '127.0.0.1');
    assert.equal(request.topVia!.rport, source.remotePort);
    assert.equal((received[1]!.message as SipRequest).topVia!.branch, 'z9hG4bKw2', 'a frame needs no Content-Length');
    const sent = await layer.sendResponse(SipResponse.fromRequest(request, 200), source);
    assert.equal(sent.transport, 'WS');
    assert.equal(sent.reliable, true);
    await waitFor(() => peer.frames.length === 1, 'response frame');
    assert.match(peer.frames[0]!, /^SIP\/2\.0 200 OK\r\n[\s\S]*z9hG4bKw1/);
    assert.equal(layer.counters.connectionsOpened, 1);
    assert.equal(layer.openConnections, 1);
  });

  it('refuses a handshake without the sip subprotocol', async () => {
    const { layer, port } = await wsLayer();
    await assert.rejects(client(`ws://127.0.0.1:${port}`, { protocol: 'chat' }), /handshake refused: 400/);
    assert.equal(layer.openConnections, 0);
  });

  it('answers a CRLFCRLF ping frame with a CRLF pong frame', async () => {
    const { layer, port } = await wsLayer();
    const peer = await client(`ws://127.0.0.1:${port}`);
    peer.socket.send('\r\n\r\n');
    await waitFor(() => peer.frames.length === 1, 'pong');
    assert.equal(peer.frames[0], '\r\n');
    assert.equal(layer.counters.keepAlivesIn, 1);
  });

  it('pings each connection and closes one whose peer stopped answering pongs', async () => {
    const clock = new FakeClock();
    const { layer, port } = await wsLayer({ clock, webSocketPingIntervalMs: 1000 });
    const live = await client(`ws://127.0.0.1:${port}`);
    const dead = await client(`ws://127.0.0.1:${port}`, { autoPong: false });
    let pings = 0;
    dead.socket.on('ping', () => pings++);
    await waitFor(() => layer.openConnections === 2, 'both accepted');
    clock.advance(1000);
    await waitFor(() => pings === 1, 'first ping');
    await new Promise((r) => setTimeout(r, 50)); // the live peer's pong arrives
    clock.advance(1000);
    await waitFor(() => dead.closed(), 'silent peer dropped');
    assert.equal(live.closed(), false);
    assert.equal(layer.openConnections, 1);
    assert.equal(layer.counters.connectionsTimedOut, 1);
  });

  it('answers a malformed frame with 400 on its connection and drops an oversized one with the connection', async () => {
    const { layer, port, received } = await wsLayer({ maxMessageSize: 2000 });
    const peer = await client(`ws://127.0.0.1:${port}`);
    peer.socket.send(requestText({ via: wsVia('z9hG4bKbad') }).replace('CSeq: 1 OPTIONS', 'CSeq: one OPTIONS'));
    await waitFor(() => peer.frames.length === 1, '400');
    assert.match(peer.frames[0]!, /^SIP\/2\.0 400 /);
    peer.socket.send(requestText({ via: wsVia('z9hG4bKbig'), body: 'x'.repeat(3000) }));
    await waitFor(() => peer.closed(), 'oversized frame closes');
    assert.equal(received.length, 0);
    assert.equal(layer.counters.oversized, 1);
    await waitFor(() => layer.openConnections === 0, 'table emptied');
  });

  it('reaches a client by its .invalid Contact host over the connection it registered on, and fails once it is gone', async () => {
    const { layer, received, port } = await wsLayer();
    const peer = await client(`ws://127.0.0.1:${port}`);
    const register = requestText({ method: 'REGISTER', via: wsVia('z9hG4bKreg') }).replace(
      'Max-Forwards',
      'Contact: <sip:k2j4@df7jal23ls0d.invalid;transport=ws>\r\nMax-Forwards',
    );
    peer.socket.send(register);
    await waitFor(() => received.length === 1, 'REGISTER');
    const invite = parse(Buffer.from(requestText({ method: 'INVITE', branch: 'z9hG4bKinv' }))) as SipRequest;
    const sent = await layer.sendRequest(invite, { transport: 'WS', host: 'df7jal23ls0d.invalid' });
    assert.equal(sent.connectionId, received[0]!.source.connectionId);
    await waitFor(() => peer.frames.length === 1, 'INVITE over the flow');
    const got = parse(Buffer.from(peer.frames[0]!)) as SipRequest;
    assert.equal(got.topVia!.transport, 'WS');
    assert.equal(got.topVia!.port, port);
    peer.socket.close();
    await waitFor(() => layer.openConnections === 0, 'flow closed');
    const again = parse(Buffer.from(requestText({ method: 'INVITE', branch: 'z9hG4bKinv2' }))) as SipRequest;
    await assert.rejects(layer.sendRequest(again, { transport: 'WS', host: 'df7jal23ls0d.invalid' }), (err) => SleetError.is(err, ErrorCode.SIP_TRANSPORT));
  });

  it('opens a WebSocket to a peer node, reuses it, and takes the answer back on it', async () => {
    const a = await wsLayer();
    const b = await wsLayer();
    const ids = new Set<number | undefined>();
    for (const branch of ['z9hG4bKc1', 'z9hG4bKc2']) {
      const sent = await a.layer.sendRequest(parse(Buffer.from(requestText({ branch }))) as SipRequest, { transport: 'WS', host: '127.0.0.1', port: b.port });
      ids.add(sent.connectionId);
    }
    assert.equal(ids.size, 1);
    await waitFor(() => b.received.length === 2, 'two requests');
    const first = b.received[0]!;
    assert.equal((first.message as SipRequest).topVia!.transport, 'WS');
    assert.equal((first.message as SipRequest).topVia!.port, a.port);
    await b.layer.sendResponse(SipResponse.fromRequest(first.message as SipRequest, 200), first.source);
    await waitFor(() => a.received.length === 1, 'response back');
    assert.ok(ids.has(a.received[0]!.source.connectionId));
    assert.equal(a.layer.counters.connectionsOpened, 1);
  });

  it('rejects a send to a peer that refuses the connection or the upgrade, and keeps serving', async () => {
    const { layer, port } = await wsLayer();
    const plain = createServer((_req, res) => res.end('not a WebSocket'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', () => resolve()));
    const httpPort = (plain.address() as { port: number }).port;
    const request = () => parse(Buffer.from(requestText({ branch: `z9hG4bK${Math.random().toString(36).slice(2)}` }))) as SipRequest;
    await assert.rejects(
      layer.sendRequest(request(), { transport: 'WS', host: '127.0.0.1', port: httpPort }),
      (err) => SleetError.is(err, ErrorCode.SIP_TRANSPORT) && /handshake answered 200/.test(err.message),
    );
    await new Promise<void>((resolve) => plain.close(() => resolve()));
    await assert.rejects(layer.sendRequest(request(), { transport: 'WS', host: '127.0.0.1', port: httpPort }), (err) =>
      SleetError.is(err, ErrorCode.SIP_TRANSPORT),
    );
    const peer = await client(`ws://127.0.0.1:${port}`);
    peer.socket.send('\r\n\r\n');
    await waitFor(() => peer.frames.length === 1, 'still serving');
  });

  it('serves WSS with the TLS certificate and stamps Via SIP/2.0/WSS', async (t) => {
    const cert = makeTestCertificate();
    if (cert === undefined) {
      if (process.env['CI'] === 'true') throw new Error('openssl is required under CI=true');
      t.skip('openssl not installed');
      return;
    }
    const { layer, received, port } = await wsLayer({}, { key: cert.key, cert: cert.cert });
    const peer = await client(`wss://127.0.0.1:${port}`, { ca: cert.cert });
    peer.socket.send(requestText({ via: 'SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKs1' }));
    await waitFor(() => received.length === 1, 'request over WSS');
    assert.equal(received[0]!.source.transport, 'WSS');
    await layer.sendResponse(SipResponse.fromRequest(received[0]!.message as SipRequest, 200), received[0]!.source);
    await waitFor(() => peer.frames.length === 1, 'response over WSS');
    assert.match(peer.frames[0]!, /^SIP\/2\.0 200 OK\r\nVia: SIP\/2\.0\/WSS /);
  });

  it('refuses plain HTTP requests with 426 Upgrade Required', async () => {
    const { port } = await wsLayer();
    const response = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(response.status, 426);
  });
});
