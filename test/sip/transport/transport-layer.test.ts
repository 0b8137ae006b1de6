import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../../../base/clock/fake-clock.js';
import { SipRequest, SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import type { TransportLayer } from '../../../resource-adaptors/sip/transport/transport-layer.js';
import { closePeers, parse, requestText, startLayer, tcpPeer, udpPeer, waitFor } from './helpers.js';

const layers: TransportLayer[] = [];
after(async () => {
  closePeers();
  await Promise.all(layers.map((l) => l.close()));
});

async function layer(...args: Parameters<typeof startLayer>): ReturnType<typeof startLayer> {
  const started = await startLayer(...args);
  layers.push(started.layer);
  return started;
}

describe('TransportLayer over UDP', () => {
  it('receives a request with received/rport stamped and routes the response back to the source port', async () => {
    const { layer: l, received, udpPort } = await layer();
    const peer = await udpPeer();
    peer.socket.send(requestText({ via: 'SIP/2.0/UDP 192.0.2.9:5099;branch=z9hG4bKu1;rport' }), udpPort, '127.0.0.1');
    await waitFor(() => received.length === 1, 'request');
    const { message, source } = received[0]!;
    const req = message as SipRequest;
    assert.equal(source.transport, 'UDP');
    assert.equal(source.remotePort, peer.port);
    assert.equal(req.topVia!.received, '127.0.0.1');
    assert.equal(req.topVia!.rport, peer.port);
    const sent = await l.sendResponse(SipResponse.fromRequest(req, 200, 'OK', 'x'), source);
    assert.equal(sent.remotePort, peer.port);
    await waitFor(() => peer.got.length === 1, 'response');
    assert.equal((parse(peer.got[0]!) as SipResponse).status, 200);
    assert.equal(l.counters.messagesIn, 1);
    assert.equal(l.counters.messagesOut, 1);
  });

  it('answers a malformed request with a stateless 400 and keeps serving', async () => {
    const { received, udpPort, layer: l } = await layer();
    const peer = await udpPeer();
    const bad = requestText({ branch: 'z9hG4bKbad' }).replace('CSeq: 1 OPTIONS', 'CSeq: one OPTIONS');
    peer.socket.send(bad, udpPort, '127.0.0.1');
    peer.socket.send('SIP/2.0 200 OK\r\nVia: garbage\r\n\r\n', udpPort, '127.0.0.1');
    await waitFor(() => peer.got.length === 1, '400');
    // The 400 copies the broken CSeq back (RFC 3261 §8.2.6), so it is checked as text.
    assert.match(peer.got[0]!.toString(), /^SIP\/2\.0 400 [^\r]*CSeq/);
    peer.socket.send(requestText({ branch: 'z9hG4bKgood' }), udpPort, '127.0.0.1');
    await waitFor(() => received.length === 1, 'next request');
    assert.equal(l.counters.parseErrors, 2);
  });

  it('answers an oversized request with 513 Message Too Large', async () => {
    const { received, udpPort, layer: l } = await layer({ maxMessageSize: 2000 });
    const peer = await udpPeer();
    peer.socket.send(requestText({ body: 'x'.repeat(3000) }), udpPort, '127.0.0.1');
    await waitFor(() => peer.got.length === 1, '513');
    assert.equal((parse(peer.got[0]!) as SipResponse).status, 513);
    assert.equal(received.length, 0);
    assert.equal(l.counters.oversized, 1);
  });

  it('asks the kernel for the configured UDP receive buffer, and reports what it granted', async (t) => {
    let rmemMax: number;
    try {
      rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
    } catch {
      t.skip('no /proc/sys/net/core/rmem_max: not Linux');
      return;
    }
    const wanted = 1024 * 1024;
    const { layer: l } = await layer({ udpReceiveBufferSize: wanted });
    const granted = l.listenPoints.find((lp) => lp.transport === 'UDP')!.receiveBufferSize ?? 0;
    // Linux caps the request at rmem_max (and reports twice what it keeps for data).
    assert.ok(granted >= Math.min(wanted, rmemMax), `granted ${granted}, asked ${wanted}, rmem_max ${rmemMax}`);
  });

  it('switches a request larger than the MTU limit from UDP to TCP and rewrites the Via', async () => {
    const a = await layer();
    const b = await layer();
    // Both layers bind UDP and TCP on different free ports; B's TCP port is where the request must land.
    const req = parse(Buffer.from(requestText({ method: 'MESSAGE', body: 'y'.repeat(1500) }))) as SipRequest;
    const sent = await a.layer.sendRequest(req, { transport: 'UDP', host: '127.0.0.1', port: b.tcpPort });
    assert.equal(sent.transport, 'TCP');
    assert.equal(sent.reliable, true);
    await waitFor(() => b.received.length === 1, 'request over TCP');
    assert.equal(b.received[0]!.source.transport, 'TCP');
    assert.equal((b.received[0]!.message as SipRequest).topVia!.transport, 'TCP');
    assert.equal((b.received[0]!.message as SipRequest).topVia!.port, a.tcpPort);
    assert.equal(a.layer.counters.udpToTcpSwitches, 1);
  });

  it('serves IPv6 loopback when available', async (t) => {
    let started;
    try {
      started = await layer({}, '::1');
    } catch {
      t.skip('no IPv6 loopback on this host');
      return;
    }
    const peer = await udpPeer('udp6');
    peer.socket.send(requestText({ host: '[::1]', via: 'SIP/2.0/UDP [::1]:9;branch=z9hG4bK6;rport' }), started.udpPort, '::1');
    await waitFor(() => started.received.length === 1, 'IPv6 request');
    const { message, source } = started.received[0]!;
    assert.equal(source.remoteAddress, '::1');
    await started.layer.sendResponse(SipResponse.fromRequest(message as SipRequest, 200), source);
    await waitFor(() => peer.got.length === 1, 'IPv6 response');
  });
});

describe('TransportLayer over TCP', () => {
  it('frames messages across chunk boundaries and answers on the same connection', async () => {
    const { received, tcpPort, layer: l } = await layer();
    const peer = await tcpPeer(tcpPort);
    const one = requestText({ branch: 'z9hG4bKt1', via: 'SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKt1', body: 'hello' });
    for (let i = 0; i < one.length; i += 7) peer.socket.write(one.slice(i, i + 7));
    const two = requestText({ branch: 'z9hG4bKt2', via: 'SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKt2' });
    const three = requestText({ branch: 'z9hG4bKt3', via: 'SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKt3' });
    peer.socket.write(two + three);
    await waitFor(() => received.length === 3, 'three requests');
    assert.deepEqual(
      received.map((r) => (r.message as SipRequest).topVia!.branch),
      ['z9hG4bKt1', 'z9hG4bKt2', 'z9hG4bKt3'],
    );
    assert.equal((received[0]!.message as SipRequest).body.toString(), 'hello');
    assert.equal((received[0]!.message as SipRequest).topVia!.received, undefined, 'sent-by host is the source: no received');
    const { message, source } = received[1]!;
    await l.sendResponse(SipResponse.fromRequest(message as SipRequest, 200), source);
    await waitFor(() => peer.data().includes('SIP/2.0 200'), 'response on the connection');
    assert.equal(l.openConnections, 1);
  });

  it('answers a CRLFCRLF keep-alive ping with a CRLF pong', async () => {
    const { tcpPort, layer: l } = await layer();
    const peer = await tcpPeer(tcpPort);
    peer.socket.write('\r\n\r\n');
    await waitFor(() => peer.data() === '\r\n', 'pong');
    assert.equal(l.counters.keepAlivesIn, 1);
  });

  it('sends a request over one given connection (an RFC 5626 flow), and refuses once it has closed instead of opening another', async () => {
    const { tcpPort, layer: l, received } = await layer();
    const peer = await tcpPeer(tcpPort);
    peer.socket.write(requestText({ method: 'REGISTER', via: 'SIP/2.0/TCP 192.0.2.9:5060;branch=z9hG4bKflow1' }));
    await waitFor(() => received.length === 1, 'the REGISTER');
    const { connectionId, remoteAddress, remotePort } = received[0]!.source;
    assert.ok(l.isConnectionOpen(connectionId!, remoteAddress, remotePort));
    assert.equal(l.isConnectionOpen(connectionId!, remoteAddress, remotePort + 1), false, 'the same id to another peer is not that flow');
    const request = parse(Buffer.from(requestText({ method: 'OPTIONS', branch: 'z9hG4bKflow2' }))) as SipRequest;
    // The host and port say nothing of the flow: only the connection counts.
    const sent = await l.sendRequest(request, { transport: 'TCP', host: '192.0.2.9', port: 5060, connectionId: connectionId! });
    assert.equal(sent.connectionId, connectionId);
    await waitFor(() => peer.data().includes('OPTIONS sip:bob@127.0.0.1'), 'the OPTIONS over the flow');
    peer.socket.destroy();
    await waitFor(() => l.openConnections === 0, 'the flow closed');
    assert.equal(l.isConnectionOpen(connectionId!, remoteAddress, remotePort), false);
    await assert.rejects(l.sendRequest(request, { transport: 'TCP', host: '127.0.0.1', port: tcpPort, connectionId: connectionId! }), /flow \d+ is closed/);
  });

  it('closes the connection on a framing error', async () => {
    const { tcpPort, layer: l, received } = await layer();
    const peer = await tcpPeer(tcpPort);
    peer.socket.write(requestText().replace(/Content-Length: 0/, 'Content-Length: -4'));
    await waitFor(() => peer.closed(), 'connection closed');
    assert.equal(l.counters.framingErrors, 1);
    assert.equal(received.length, 0);
    await waitFor(() => l.openConnections === 0, 'table emptied');
  });

  it('reuses one connection for requests and responses in both directions', async () => {
    const a = await layer();
    const b = await layer();
    const target = { transport: 'TCP' as const, host: '127.0.0.1', port: b.tcpPort };
    const connectionIds = new Set<number | undefined>();
    for (const branch of ['z9hG4bKr1', 'z9hG4bKr2']) {
      const req = parse(Buffer.from(requestText({ branch }))) as SipRequest;
      const sent = await a.layer.sendRequest(req, target);
      assert.equal(sent.transport, 'TCP');
      connectionIds.add(sent.connectionId);
    }
    assert.equal(connectionIds.size, 1);
    await waitFor(() => b.received.length === 2, 'two requests');
    const first = b.received[0]!;
    assert.equal((first.message as SipRequest).topVia!.transport, 'TCP');
    assert.equal(first.source.connectionId, b.received[1]!.source.connectionId);
    await b.layer.sendResponse(SipResponse.fromRequest(first.message as SipRequest, 200), first.source);
    await waitFor(() => a.received.length === 1, 'response back');
    assert.ok(connectionIds.has(a.received[0]!.source.connectionId), 'the response came back on the same connection');
    assert.equal(a.layer.counters.connectionsOpened, 1);
    assert.equal(b.layer.counters.connectionsOpened, 1);
  });

  it('closes connections idle for longer than the configured time', async () => {
    const clock = new FakeClock();
    const { tcpPort, layer: l } = await layer({ clock, idleConnectionTimeoutMs: 1000 });
    const peer = await tcpPeer(tcpPort);
    await waitFor(() => l.openConnections === 1, 'accepted');
    clock.advance(600);
    peer.socket.write('\r\n\r\n');
    await waitFor(() => peer.data() === '\r\n', 'pong');
    clock.advance(600);
    assert.equal(l.openConnections, 1, 'activity postponed the idle close');
    clock.advance(1000);
    await waitFor(() => peer.closed(), 'idle close');
    assert.equal(l.openConnections, 0);
  });
});
