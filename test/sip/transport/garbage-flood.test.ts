import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { TransportLayer } from '../../../resource-adaptors/sip/transport/transport-layer.js';
import { closePeers, requestText, startLayer, tcpPeer, udpPeer, waitFor } from './helpers.js';

const layers: TransportLayer[] = [];
after(async () => {
  closePeers();
  await Promise.all(layers.map((l) => l.close()));
});

/** Random bytes, sometimes dressed as a SIP start line so the parser gets further. */
function junk(i: number): Buffer {
  const noise = randomBytes(1 + (i % 700));
  if (i % 3 === 0) return Buffer.concat([Buffer.from('INVITE sip:x@127.0.0.1 SIP/2.0\r\nVia: '), noise]);
  if (i % 3 === 1) return Buffer.concat([Buffer.from('SIP/2.0 200 OK\r\n'), noise, Buffer.from('\r\n\r\n')]);
  return noise;
}

describe('garbage flood', () => {
  it('survives thousands of junk datagrams and junk TCP streams, stays bounded, and still serves', async () => {
    const errors: unknown[] = [];
    const started = await startLayer({ maxMessageSize: 4096, onError: (e) => errors.push(e) });
    layers.push(started.layer);
    const { layer, received, udpPort, tcpPort } = started;
    const peer = await udpPeer();
    const floods = 3000;
    for (let i = 0; i < floods; i++) {
      peer.socket.send(junk(i), udpPort, '127.0.0.1');
      if (i % 200 === 0) await new Promise((r) => setImmediate(r));
    }
    // A stream that never ends its header section must be cut off at maxMessageSize.
    const endless = await tcpPeer(tcpPort);
    for (let i = 0; i < 20 && !endless.closed(); i++) {
      endless.socket.write(randomBytes(1024).toString('hex'));
      await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => endless.closed(), 'junk stream closed');
    // A CR must be followed by LF (a keep-alive) or nothing: a random second byte was LF one run in 256, and the rest then waited for more.
    const binary = await tcpPeer(tcpPort);
    binary.socket.write(Buffer.concat([Buffer.from([0x0d, 0x00]), randomBytes(64)]));
    await waitFor(() => binary.closed(), 'binary stream closed');

    // Sustained garbage must not have wedged the layer: a valid request still gets through.
    const text = requestText({ branch: 'z9hG4bKafterflood' });
    await waitFor(() => {
      peer.socket.send(text, udpPort, '127.0.0.1');
      return received.some((r) => r.message.isRequest && r.message.topVia?.branch === 'z9hG4bKafterflood');
    }, 'valid request after flood');
    await waitFor(() => layer.openConnections === 0, 'connection table emptied');
    assert.ok(layer.counters.parseErrors > 0);
    assert.equal(layer.counters.framingErrors, 2);
    assert.deepEqual(errors, []);
    assert.ok(received.every((r) => (r.message.isRequest ? r.message.topVia !== undefined : true)));
  });
});

describe('connection limit', () => {
  it('refuses incoming connections beyond maxConnections', async () => {
    const started = await startLayer({ maxConnections: 2 });
    layers.push(started.layer);
    const peers = [await tcpPeer(started.tcpPort), await tcpPeer(started.tcpPort), await tcpPeer(started.tcpPort)];
    await waitFor(() => started.layer.counters.connectionsRejected === 1, 'third refused');
    await waitFor(() => peers[2]!.closed(), 'third closed');
    assert.equal(started.layer.openConnections, 2);
    assert.equal(peers[0]!.closed(), false);
  });
});
