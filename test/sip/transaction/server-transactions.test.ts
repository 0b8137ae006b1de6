import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseMessage, SipResponse, Via, type SipRequest, type SipResponse as Response } from '../../../resource-adaptors/sip/message/index.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { flush } from './fake-transport.js';
import { setup } from './harness.js';
import { callsDuring } from '../message/calls-during.js';
import { ack, request, response } from './messages.js';

const isStatus = (status: number) => (m: { isRequest: boolean }) => !m.isRequest && (m as Response).status === status;

describe('INVITE server transaction', () => {
  it('sends 100 Trying when the TU has not answered within 200 ms', () => {
    const { clock, transport, user } = setup();
    transport.inject(request());
    assert.equal(user.requests.length, 1);
    clock.advance(199);
    assert.equal(transport.responses(100).length, 0);
    clock.advance(1);
    assert.equal(transport.responses(100).length, 1);
    assert.equal(transport.responses(100)[0]!.to.tag, undefined);
  });

  it('sends no 100 Trying when the TU answers in time, and re-sends the provisional on INVITE retransmission', () => {
    const { clock, transport, user } = setup();
    user.answer = (tx, req) => tx.respond(SipResponse.fromRequest(req, 180, undefined, 't'));
    transport.inject(request());
    clock.advance(1000);
    assert.equal(transport.responses(100).length, 0);
    transport.inject(request());
    assert.equal(transport.responses(180).length, 2);
    assert.equal(user.requests.length, 1, 'the retransmission is absorbed');
  });

  it('retransmits a non-2xx final on Timer G capped at T2 and times out on Timer H', () => {
    const { clock, transport, user, layer } = setup();
    user.answer = (tx, req) => tx.respond(SipResponse.fromRequest(req, 486, undefined, 't'));
    transport.inject(request());
    const tx = user.requests[0]!.tx;
    assert.equal(tx.state, 'Completed');
    clock.advance(31999);
    assert.deepEqual(transport.times(isStatus(486)), [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    clock.advance(1);
    assert.equal(tx.state, 'Terminated');
    assert.equal(tx.terminationReason, 'timeout');
    assert.deepEqual(user.terminated, [tx]);
    assert.equal(layer.stats.serverTransactions, 0);
  });

  it('goes Confirmed on the ACK, absorbs retransmitted INVITEs and ACKs, and terminates on Timer I = T4', () => {
    const { clock, transport, user } = setup();
    user.answer = (tx, req) => tx.respond(SipResponse.fromRequest(req, 404, undefined, 'nf'));
    const invite = request({ branch: 'z9hG4bKsrv' });
    transport.inject(invite);
    const tx = user.requests[0]!.tx;
    clock.advance(600);
    assert.equal(transport.responses(404).length, 2);
    transport.inject(ack(invite, 'nf', 'z9hG4bKsrv'));
    assert.equal(tx.state, 'Confirmed');
    transport.inject(ack(invite, 'nf', 'z9hG4bKsrv'));
    transport.inject(request({ branch: 'z9hG4bKsrv' }));
    clock.advance(4999);
    assert.equal(transport.responses(404).length, 2, 'no more 404s once Confirmed');
    assert.equal(tx.state, 'Confirmed');
    assert.equal(user.acks.length, 0, 'the ACK for a non-2xx never reaches the TU');
    assert.equal(user.requests.length, 1);
    clock.advance(1);
    assert.equal(tx.state, 'Terminated');
  });

  it('after a 2xx: Accepted passes ACKs up, absorbs INVITE retransmissions, lets the TU resend the 2xx, ends on Timer L', () => {
    const { clock, transport, user } = setup();
    user.answer = (tx, req) => tx.respond(SipResponse.fromRequest(req, 200, undefined, 'ok'));
    const invite = request({ branch: 'z9hG4bKacc' });
    transport.inject(invite);
    const tx = user.requests[0]!.tx;
    assert.equal(tx.state, 'Accepted');
    transport.inject(request({ branch: 'z9hG4bKacc' }));
    assert.equal(transport.responses(200).length, 1);
    tx.respond(SipResponse.fromRequest(invite, 200, undefined, 'ok'));
    assert.equal(transport.responses(200).length, 2);
    transport.inject(ack(invite, 'ok', 'z9hG4bKacc'));
    transport.inject(ack(invite, 'ok', 'z9hG4bKnewbranch'));
    assert.equal(user.acks.length, 2);
    assert.throws(
      () => tx.respond(SipResponse.fromRequest(invite, 486)),
      (e) => SleetError.is(e, ErrorCode.SIP_TRANSACTION),
    );
    clock.advance(32000);
    assert.equal(tx.state, 'Terminated');
    assert.equal(transport.responses(200).length, 2, 'the transaction never retransmits a 2xx itself');
  });

  it('does not retransmit over a reliable transport and ends on the ACK at once (Timer I = 0)', () => {
    const { clock, transport, user } = setup();
    user.answer = (tx, req) => tx.respond(SipResponse.fromRequest(req, 480, undefined, 'u'));
    const invite = request({ transport: 'TCP' });
    transport.inject(invite, 'TCP');
    const tx = user.requests[0]!.tx;
    clock.advance(10000);
    assert.equal(transport.responses(480).length, 1);
    transport.inject(ack(invite, 'u', 'z9hG4bKtest1'), 'TCP');
    assert.equal(tx.state, 'Terminated');
  });

  it('terminates on a transport failure', async () => {
    const { transport, user } = setup();
    transport.failSends = true;
    user.answer = (tx, req) => tx.respond(SipResponse.fromRequest(req, 486));
    transport.inject(request());
    await flush();
    assert.equal(user.requests[0]!.tx.terminationReason, 'transport-error');
  });
});

describe('non-INVITE server transaction', () => {
  it('absorbs retransmissions while Trying, re-sends the last response after, and waits Timer J = 64*T1', () => {
    const { clock, transport, user, layer } = setup();
    const req = request({ method: 'OPTIONS' });
    transport.inject(req);
    transport.inject(request({ method: 'OPTIONS' }));
    assert.equal(transport.sent.length, 0);
    const tx = user.requests[0]!.tx;
    tx.respond(SipResponse.fromRequest(req, 100));
    transport.inject(request({ method: 'OPTIONS' }));
    assert.equal(transport.responses(100).length, 2);
    tx.respond(SipResponse.fromRequest(req, 200, undefined, 'o'));
    assert.equal(tx.state, 'Completed');
    clock.advance(10000);
    transport.inject(request({ method: 'OPTIONS' }));
    assert.equal(transport.responses(200).length, 2);
    assert.equal(transport.responses(100).length, 2);
    assert.equal(user.requests.length, 1);
    assert.throws(
      () => tx.respond(SipResponse.fromRequest(req, 500)),
      (e) => SleetError.is(e, ErrorCode.SIP_TRANSACTION),
    );
    clock.advance(21999);
    assert.equal(tx.state, 'Completed');
    clock.advance(1);
    assert.equal(tx.state, 'Terminated');
    assert.equal(layer.stats.serverTransactions, 0);
    transport.inject(request({ method: 'OPTIONS' }));
    assert.equal(user.requests.length, 2, 'after J a retransmission is a new request');
  });

  it('terminates at once after the final over a reliable transport (Timer J = 0)', () => {
    const { transport, user } = setup();
    user.answer = (tx, req) => tx.respond(SipResponse.fromRequest(req, 200, undefined, 'o'));
    transport.inject(request({ method: 'OPTIONS', transport: 'TCP' }), 'TCP');
    assert.equal(user.requests[0]!.tx.state, 'Terminated');
  });
});

describe('a response relayed through a server transaction', () => {
  /** The response as a proxy relays it: received with the proxy's own Via on top, which it removes. */
  function relayed(received: SipRequest, status: number, edit = (text: string) => text): Response {
    const text = response(received, status).toBuffer().toString().replace('Via: ', 'Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bKproxy1\r\nVia: ');
    const message = parseMessage(Buffer.from(edit(text))) as Response;
    message.removeTopVia();
    return message;
  }

  it("is sent with a copy of the request's parsed top Via when its first Via line is the request's", () => {
    const { transport, user } = setup();
    transport.inject(request());
    const { tx, request: received } = user.requests[0]!;
    const receivedVia = received.topVia;
    const ok = relayed(received, 200);
    assert.equal(
      callsDuring(Via, 'parse', () => {
        tx.respond(ok);
        assert.equal(ok.topVia?.branch, 'z9hG4bKtest1');
      }),
      0,
    );
    assert.equal(transport.responses(200)[0], ok);
    assert.notEqual(ok.topVia, receivedVia);
    ok.topVia!.params.set('received', '192.0.2.1');
    assert.equal(receivedVia?.received, undefined, "the response's Via is its own");
  });

  it("parses its own top Via when its first Via line is not the request's text", () => {
    const { transport, user } = setup();
    transport.inject(request({ method: 'OPTIONS' }));
    const { tx, request: received } = user.requests[0]!;
    tx.respond(relayed(received, 200, (text) => text.replace(';branch=z9hG4bKtest1', ';branch=z9hG4bKtest1;received=192.0.2.9')));
    assert.equal(transport.responses(200)[0]!.topVia?.received, '192.0.2.9');
  });
});
