import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { SipResponse, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { TransportLayer } from '../../../resource-adaptors/sip/transport/transport-layer.js';
import { WorkerHandoff } from '../../../resource-adaptors/sip/transport/worker-handoff.js';
import { freeSipPort } from '../../../resource-adaptors/sip/ra/free-sip-port.js';
import { closePeers, parse, requestText, udpPeer, waitFor, type Received } from './helpers.js';

const layers: TransportLayer[] = [];
after(async () => {
  closePeers();
  await Promise.all(layers.map((l) => l.close()));
});

/**
 * Two workers in one process: each has its own port and a "shared" port of
 * its own (one process cannot bind one UDP port twice; in node:cluster the
 * workers read one handle). What a worker reads on its shared port that the
 * other owns must reach the other, with the original source.
 */
async function twoWorkers(key = randomBytes(32)) {
  const ports = [await freeSipPort('127.0.0.1'), await freeSipPort('127.0.0.1')];
  const workers = await Promise.all(
    [0, 1].map(async (index) => {
      const layer = new TransportLayer({ workers: { index, ports, key } });
      layers.push(layer);
      const received: Received[] = [];
      layer.setReceiver((message, source) => received.push({ message, source }));
      await layer.listen({ transport: 'UDP', host: '127.0.0.1', port: ports[index]! });
      const shared = await layer.listen({ transport: 'UDP', host: '127.0.0.1', port: 0, shared: true });
      return { layer, received, sharedPort: shared.port };
    }),
  );
  return { ports, key, workers: workers as [(typeof workers)[0], (typeof workers)[0]] };
}

/** A request whose Call-ID the given worker owns, in the long or compact header form. */
function ownedBy(handoff: WorkerHandoff, owner: number, method = 'INVITE', compact = false): string {
  for (let i = 0; ; i++) {
    const text = requestText({ method, branch: `z9hG4bKh${i}` });
    if (handoff.ownerOf(Buffer.from(text)) === owner) return compact ? text.replace('Call-ID:', 'i:') : text;
  }
}

describe('worker handoff over UDP', () => {
  it('hands a request read on the shared port to the worker owning its Call-ID, which answers from the shared port to the original source', async () => {
    const { ports, key, workers } = await twoWorkers();
    const [w0, w1] = workers;
    const handoff = new WorkerHandoff({ index: 0, ports, key });
    const peer = await udpPeer();
    const invite = ownedBy(handoff, 1);
    // The INVITE, its retransmission and its CANCEL all read by worker 0: all reach worker 1.
    peer.socket.send(invite, w0.sharedPort, '127.0.0.1');
    peer.socket.send(invite, w0.sharedPort, '127.0.0.1');
    peer.socket.send(invite.replace(/INVITE/g, 'CANCEL'), w0.sharedPort, '127.0.0.1');
    await waitFor(() => w1.received.length === 3, 'three requests at the owner');
    assert.deepEqual(
      w1.received.map((r) => (r.message as SipRequest).method),
      ['INVITE', 'INVITE', 'CANCEL'],
    );
    const { message, source } = w1.received[0]!;
    assert.equal(source.remotePort, peer.port);
    assert.equal(source.remoteAddress, '127.0.0.1');
    assert.equal(source.localPort, w1.sharedPort);
    assert.equal((message as SipRequest).topVia!.rport, peer.port);
    await w1.layer.sendResponse(SipResponse.fromRequest(message as SipRequest, 180, 'Ringing'), source);
    await waitFor(() => peer.got.length === 1, 'the 180');
    assert.equal((parse(peer.got[0]!) as SipResponse).status, 180);
    // A request worker 0 owns stays there; read after the three above, so they were handed on, not taken.
    peer.socket.send(ownedBy(handoff, 0, 'OPTIONS', true), w0.sharedPort, '127.0.0.1');
    await waitFor(() => w0.received.length === 1, 'worker 0 keeps its own');
    assert.equal((w0.received[0]!.message as SipRequest).method, 'OPTIONS');
    assert.equal(w0.layer.counters.handoffsOut, 3);
    assert.equal(w1.layer.counters.handoffsIn, 3);
  });

  it('sends requests from the worker port and names it in Via', async () => {
    const { ports, workers } = await twoWorkers();
    const peer = await udpPeer();
    const request = parse(Buffer.from(requestText())) as SipRequest;
    await workers[1].layer.sendRequest(request, { transport: 'UDP', host: '127.0.0.1', port: peer.port });
    await waitFor(() => peer.got.length === 1, 'the request');
    assert.equal((parse(peer.got[0]!) as SipRequest).topVia!.port, ports[1]);
    // Bound in the other order, the own port still comes first: Contact and Record-Route name the first.
    const own = await freeSipPort('127.0.0.1');
    const reversed = new TransportLayer({ workers: { index: 0, ports: [own], key: randomBytes(32) } });
    layers.push(reversed);
    await reversed.listen({ transport: 'UDP', host: '127.0.0.1', port: 0, shared: true });
    await reversed.listen({ transport: 'UDP', host: '127.0.0.1', port: own });
    assert.equal(reversed.listenPoints[0]!.port, own);
  });

  it('takes a frame only from a sibling worker port and with the workers key', async () => {
    const key = randomBytes(32);
    const sibling = await udpPeer();
    const stranger = await udpPeer();
    const ports = [sibling.port, await freeSipPort('127.0.0.1')];
    const layer = new TransportLayer({ workers: { index: 1, ports, key } });
    layers.push(layer);
    const received: Received[] = [];
    layer.setReceiver((message, source) => received.push({ message, source }));
    await layer.listen({ transport: 'UDP', host: '127.0.0.1', port: ports[1]! });
    await layer.listen({ transport: 'UDP', host: '127.0.0.1', port: 0, shared: true });
    const frame = (k: Buffer, branch: string) => new WorkerHandoff({ index: 0, ports, key: k }).frame(Buffer.from(requestText({ branch })), '192.0.2.1', 5099);
    stranger.socket.send(frame(key, 'z9hG4bKstranger'), ports[1]!, '127.0.0.1');
    sibling.socket.send(frame(randomBytes(32), 'z9hG4bKwrongkey'), ports[1]!, '127.0.0.1');
    sibling.socket.send(frame(key, 'z9hG4bKgood'), ports[1]!, '127.0.0.1');
    await waitFor(() => received.length === 1, 'the good frame');
    assert.equal(layer.counters.handoffsRefused, 2);
    assert.equal((received[0]!.message as SipRequest).topVia!.branch, 'z9hG4bKgood');
    assert.equal(received[0]!.source.remoteAddress, '192.0.2.1');
    assert.equal(received[0]!.source.remotePort, 5099);
  });
});
