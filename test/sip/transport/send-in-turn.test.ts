import { strict as assert } from 'node:assert';
import { Socket } from 'node:dgram';
import { after, describe, it } from 'node:test';
import { SipResponse, type SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import type { TransportLayer } from '../../../resource-adaptors/sip/transport/transport-layer.js';
import { closePeers, parse, requestText, startLayer, udpPeer, waitFor } from './helpers.js';

const layers: TransportLayer[] = [];
after(async () => {
  closePeers();
  await Promise.all(layers.map((l) => l.close()));
});

/** Counts datagrams handed to dgram while `run` executes, before anything it started can wait a turn. */
function datagramsSentDuring<T>(run: () => T): { count: number; result: T } {
  const send = Socket.prototype.send;
  let count = 0;
  Socket.prototype.send = function (this: Socket, ...args: unknown[]) {
    count++;
    return (send as (...a: unknown[]) => void).apply(this, args);
  } as typeof send;
  try {
    const result = run();
    return { count, result };
  } finally {
    Socket.prototype.send = send;
  }
}

describe('a datagram to an IP address leaves in the turn that sends it: nothing is resolved, so nothing waits for a later one', () => {
  it('a request to an IP literal, and the response to a UDP request', async () => {
    const started = await startLayer();
    layers.push(started.layer);
    const peer = await udpPeer();
    const request = parse(Buffer.from(requestText({ method: 'OPTIONS' }))) as SipRequest;
    const requestSend = datagramsSentDuring(() => started.layer.sendRequest(request, { transport: 'UDP', host: '127.0.0.1', port: peer.port }));
    assert.equal(requestSend.count, 1);
    await requestSend.result;
    await waitFor(() => peer.got.length === 1, 'the request');

    peer.socket.send(requestText({ via: `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKturn1;rport` }), started.udpPort, '127.0.0.1');
    await waitFor(() => started.received.length === 1, 'a request to answer');
    const { message, source } = started.received[0]!;
    const responseSend = datagramsSentDuring(() => started.layer.sendResponse(SipResponse.fromRequest(message as SipRequest, 200, 'OK', 'x'), source));
    assert.equal(responseSend.count, 1);
    await responseSend.result;
    await waitFor(() => peer.got.length === 2, 'the response');
    assert.equal((parse(peer.got[1]!) as SipResponse).status, 200);
  });
});
