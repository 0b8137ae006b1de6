import { strict as assert } from 'node:assert';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../../../base/clock/fake-clock.js';
import type { TransportLayer } from '../../../resource-adaptors/sip/transport/transport-layer.js';
import { closePeers, startLayer, tcpPeer, waitFor } from './helpers.js';

const layers: TransportLayer[] = [];
const sockets: Socket[] = [];
after(async () => {
  closePeers();
  for (const s of sockets) s.destroy();
  await Promise.all(layers.map((l) => l.close()));
});

async function layer(...args: Parameters<typeof startLayer>): ReturnType<typeof startLayer> {
  const started = await startLayer(...args);
  layers.push(started.layer);
  return started;
}

/** A TCP connection from a chosen loopback source address, and whether the server has closed it. */
async function connectFrom(localAddress: string, port: number): Promise<{ closed: () => boolean }> {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  sockets.push(socket);
  let closed = false;
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { closed: () => closed };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('TCP connection limits', () => {
  it('closes a connection whose message is still incomplete at the message deadline, however slowly bytes trickle in (slowloris)', async () => {
    const clock = new FakeClock();
    const { tcpPort, layer: l } = await layer({ clock, messageTimeoutMs: 200, idleConnectionTimeoutMs: 3_600_000 });
    const peer = await tcpPeer(tcpPort);
    await waitFor(() => l.openConnections === 1, 'accepted');
    const slow = 'OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKslow\r\n';
    // One byte every 50 ms of (fake) time for 2 s: ten times the deadline.
    for (let i = 0; i < 40 && !peer.closed(); i++) {
      peer.socket.write(slow[i % slow.length]!);
      await tick();
      clock.advance(50);
      await tick();
    }
    await waitFor(() => peer.closed(), 'the slowloris connection closed by the message deadline');
    assert.equal(l.openConnections, 0);
    assert.ok(l.counters.connectionsTimedOut >= 1, 'counted as timed out');
  });

  it('keeps a connection that sends whole messages slowly, one per deadline', async () => {
    const clock = new FakeClock();
    const { tcpPort, layer: l, received } = await layer({ clock, messageTimeoutMs: 200, idleConnectionTimeoutMs: 3_600_000 });
    const peer = await tcpPeer(tcpPort);
    await waitFor(() => l.openConnections === 1, 'accepted');
    for (let i = 0; i < 5; i++) {
      peer.socket.write(
        `OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKok${i}\r\nMax-Forwards: 70\r\n` +
          `From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: ok${i}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
      );
      await waitFor(() => received.length === i + 1, `message ${i}`);
      clock.advance(150);
    }
    assert.equal(peer.closed(), false);
    assert.equal(l.openConnections, 1);
  });

  it('closes at the idle timeout a connection that trickles bytes of a message it never finishes', async () => {
    const clock = new FakeClock();
    const { tcpPort, layer: l } = await layer({ clock, messageTimeoutMs: 3_600_000, idleConnectionTimeoutMs: 1000 });
    const peer = await tcpPeer(tcpPort);
    await waitFor(() => l.openConnections === 1, 'accepted');
    for (let i = 0; i < 40 && !peer.closed(); i++) {
      peer.socket.write('O');
      await tick();
      clock.advance(100);
      await tick();
    }
    await waitFor(() => peer.closed(), 'idle close despite the trickle');
    assert.equal(l.openConnections, 0);
  });

  it('refuses a source beyond its own connection limit while other sources still get in', async () => {
    const { tcpPort, layer: l } = await layer({ maxConnections: 4, maxConnectionsPerSource: 3 });
    const greedy: Array<{ closed: () => boolean }> = [];
    for (let i = 0; i < 5; i++) greedy.push(await connectFrom('127.0.0.1', tcpPort));
    await waitFor(() => greedy.filter((c) => c.closed()).length === 2, 'the 4th and 5th connections from 127.0.0.1 refused');
    assert.equal(l.openConnections, 3);
    const other = await connectFrom('127.0.0.2', tcpPort);
    await waitFor(() => l.openConnections === 4, 'a connection from 127.0.0.2 accepted');
    assert.equal(other.closed(), false);
    assert.equal(l.counters.connectionsRejected, 2);
  });

  it('counts a source again once its connections close', async () => {
    const { tcpPort, layer: l } = await layer({ maxConnectionsPerSource: 1 });
    const first = await tcpPeer(tcpPort);
    await waitFor(() => l.openConnections === 1, 'first accepted');
    first.socket.destroy();
    await waitFor(() => l.openConnections === 0, 'first gone');
    const second = await tcpPeer(tcpPort);
    await waitFor(() => l.openConnections === 1, 'second accepted');
    assert.equal(second.closed(), false);
  });
});
