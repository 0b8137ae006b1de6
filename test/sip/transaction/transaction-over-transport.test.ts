import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { after, describe, it } from 'node:test';
import { SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import { TransportLayer } from '../../../resource-adaptors/sip/transport/transport-layer.js';
import { nextHopForRequest } from '../../../resource-adaptors/sip/transport/next-hop.js';
import { TransactionLayer } from '../../../resource-adaptors/sip/transaction/transaction-layer.js';
import { RecordingOwner, RecordingUser } from './harness.js';
import { request } from './messages.js';

const closers: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const close of closers.splice(0)) await close();
});

async function stack(transport: 'UDP' | 'TCP'): Promise<{ layer: TransactionLayer; user: RecordingUser; port: number }> {
  const tl = new TransportLayer();
  const lp = await tl.listen({ transport, host: '127.0.0.1', port: 0 });
  if (transport === 'TCP') await tl.listen({ transport: 'UDP', host: '127.0.0.1', port: lp.port });
  const user = new RecordingUser();
  const layer = new TransactionLayer(tl, { user });
  closers.push(
    () => layer.close(),
    () => tl.close(),
  );
  return { layer, user, port: lp.port };
}

async function until(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('transaction layer over real sockets', () => {
  for (const transport of ['UDP', 'TCP'] as const) {
    it(`completes a non-INVITE transaction over ${transport}`, async () => {
      const uac = await stack(transport);
      const uas = await stack(transport);
      uas.user.answer = (tx, req) => tx.respond(SipResponse.fromRequest(req, 200, 'OK', 'uas'));
      const req = request({ method: 'OPTIONS', branch: `z9hG4bKreal${transport}` });
      req.uri = req.uri.clone();
      req.uri.port = uas.port;
      if (transport === 'TCP') req.uri.params.set('transport', 'tcp');
      const owner = new RecordingOwner();
      const tx = uac.layer.createClientTransaction(req, nextHopForRequest(req), owner);
      await until(() => owner.statuses.length === 1);
      assert.deepEqual(owner.statuses, [200]);
      assert.equal(uas.user.requests[0]!.request.topVia!.transport, transport);
      assert.equal(tx.sent?.transport, transport);
    });
  }

  it('answers a UDP retransmission in Completed with the same datagram, from the socket the request came in on', async () => {
    const uas = await stack('UDP');
    uas.user.answer = (tx, req) => tx.respond(SipResponse.fromRequest(req, 200, 'OK', 'uas'));
    const peer = createSocket('udp4');
    closers.push(() => new Promise<void>((resolve) => peer.close(() => resolve())));
    const got: Array<{ data: Buffer; port: number }> = [];
    peer.on('message', (data, from) => got.push({ data, port: from.port }));
    await new Promise<void>((resolve) => peer.bind(0, '127.0.0.1', () => resolve()));
    const req = request({ method: 'OPTIONS', branch: 'z9hG4bKretx' });
    req.set('Via', `SIP/2.0/UDP 127.0.0.1:${peer.address().port};branch=z9hG4bKretx;rport`);
    peer.send(req.toBuffer(), uas.port, '127.0.0.1');
    await until(() => got.length === 1);
    peer.send(req.toBuffer(), uas.port, '127.0.0.1');
    await until(() => got.length === 2);
    assert.equal(uas.user.requests.length, 1);
    assert.equal(uas.user.requests[0]!.tx.state, 'Completed');
    assert.deepEqual(got[1]!.data, got[0]!.data);
    assert.equal(got[1]!.port, uas.port);
  });
});
