import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseMessage, SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import { RecordingOwner, setup, UDP_TARGET } from './harness.js';
import { ack, request } from './messages.js';
import { flush } from './fake-transport.js';

describe('transaction matching', () => {
  it('matches by branch + sent-by + method: another sent-by or method is a new transaction', () => {
    const { transport, user } = setup();
    transport.inject(request({ method: 'OPTIONS', branch: 'z9hG4bKsame' }));
    const other = request({ method: 'OPTIONS', branch: 'z9hG4bKsame' });
    other.set('Via', 'SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bKsame');
    transport.inject(other);
    transport.inject(request({ method: 'INFO', branch: 'z9hG4bKsame' }));
    transport.inject(request({ method: 'OPTIONS', branch: 'z9hG4bKsame' }));
    assert.equal(user.requests.length, 3);
  });

  it('gives CANCEL its own transaction and finds the INVITE it cancels', () => {
    const { transport, user, layer } = setup();
    transport.inject(request({ branch: 'z9hG4bKinv' }));
    transport.inject(request({ method: 'CANCEL', branch: 'z9hG4bKinv' }));
    assert.equal(user.requests.length, 2);
    const [inviteTx, cancelTx] = user.requests.map((r) => r.tx);
    assert.equal(cancelTx!.kind, 'non-invite-server');
    assert.equal(layer.findInviteForCancel(cancelTx!.request), inviteTx);
    assert.equal(layer.findInviteForCancel(request({ method: 'CANCEL', branch: 'z9hG4bKother' })), undefined);
  });

  it('falls back to RFC 2543 matching without the magic cookie, comparing the ACK against the response To tag', () => {
    const { clock, transport, user, layer } = setup();
    user.answer = (tx, req) => {
      if (req.method === 'INVITE') tx.respond(SipResponse.fromRequest(req, 486, undefined, 'old'));
    };
    const invite = request({ branch: 'legacy1' });
    transport.inject(invite);
    transport.inject(request({ branch: 'legacy1' }));
    assert.equal(user.requests.length, 1, 'retransmission matched by Request-URI, tags, Call-ID, CSeq, Via');
    assert.equal(transport.responses(486).length, 2);
    transport.inject(request({ branch: 'legacy1', cseq: 2 }));
    assert.equal(user.requests.length, 2, 'another CSeq is another transaction');
    transport.inject(ack(invite, 'wrong', 'legacy1'));
    assert.equal(user.requests[0]!.tx.state, 'Completed', 'an ACK with another To tag does not match');
    assert.equal(user.acks.length, 1);
    transport.inject(ack(invite, 'old', 'legacy1'));
    assert.equal(user.requests[0]!.tx.state, 'Confirmed');
    transport.inject(request({ method: 'CANCEL', noBranch: true }));
    const cancelTx = user.requests[2]!.tx;
    assert.equal(layer.findInviteForCancel(cancelTx.request), undefined, 'branchless CANCEL vs INVITE with another top Via');
    clock.advance(100000);
  });

  it('passes stray ACKs and stray responses up to the TU', () => {
    const { transport, user } = setup();
    const invite = request();
    transport.inject(ack(invite, 'tag', 'z9hG4bKnothing'));
    transport.inject(SipResponse.fromRequest(request({ method: 'OPTIONS' }), 200));
    assert.equal(user.acks.length, 1);
    assert.equal(user.strayResponses.length, 1);
    assert.equal(user.requests.length, 0);
  });

  it('answers a request with a malformed CSeq with a stateless 400 and keeps serving', () => {
    const { transport, user, layer } = setup();
    // The transport's parser rejects this already; the layer must cope when a TU or another transport hands it over.
    const bad = request({ method: 'OPTIONS', branch: 'z9hG4bKbad' });
    bad.set('CSeq', 'abc');
    transport.inject(bad);
    assert.equal(transport.responses(400).length, 1);
    assert.equal(layer.stats.malformed, 1);
    assert.equal(layer.stats.serverTransactions, 0);
    transport.inject(request({ method: 'OPTIONS' }));
    assert.equal(user.requests.length, 1);
  });

  it('keeps running when a TU callback throws, reporting the error', () => {
    const { transport, user, errors } = setup();
    user.answer = () => {
      throw new Error('TU bug');
    };
    transport.inject(request({ method: 'OPTIONS', branch: 'z9hG4bK1' }));
    transport.inject(request({ method: 'OPTIONS', branch: 'z9hG4bK2' }));
    assert.equal(user.requests.length, 2);
    assert.equal(errors.length, 2);
  });

  it('stays bounded: terminated transactions are forgotten', async () => {
    const { clock, transport, user, layer } = setup();
    user.answer = (tx, req) => tx.respond(SipResponse.fromRequest(req, 200, undefined, 't'));
    const owner = new RecordingOwner();
    for (let i = 0; i < 500; i++) {
      transport.inject(request({ method: 'OPTIONS', branch: `z9hG4bKs${i}` }));
      layer.createClientTransaction(request({ method: 'OPTIONS', branch: `z9hG4bKc${i}` }), UDP_TARGET, owner);
    }
    await flush();
    assert.equal(layer.stats.serverTransactions, 500);
    assert.equal(layer.stats.clientTransactions, 500);
    clock.advance(64 * 500);
    assert.equal(layer.stats.serverTransactions, 0);
    assert.equal(layer.stats.clientTransactions, 0);
    assert.equal(clock.pending, 0);
    assert.equal(owner.statuses.filter((s) => s === 408).length, 500);
  });

  it('adds a branch to a request without one and refuses a duplicate client transaction', async () => {
    const { layer } = setup();
    const req = request({ method: 'OPTIONS', noBranch: true });
    layer.createClientTransaction(req, UDP_TARGET, new RecordingOwner());
    assert.match(req.topVia!.branch ?? '', /^z9hG4bK/);
    const dup = request({ method: 'OPTIONS', branch: req.topVia!.branch });
    assert.throws(() => layer.createClientTransaction(dup, UDP_TARGET, new RecordingOwner()));
    await flush();
  });

  it('gives only the top Via value a branch and leaves the Vias after it as they came', async () => {
    const { layer } = setup();
    const req = request({ method: 'OPTIONS', noBranch: true });
    req.set('Via', ['SIP/2.0/UDP 127.0.0.1:5070, SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKolder;received=10.0.0.8', 'SIP/2.0/TCP 10.0.0.7']);
    layer.createClientTransaction(req, UDP_TARGET, new RecordingOwner());
    const sent = parseMessage(req.toBuffer());
    const vias = sent.getAll('Via');
    assert.equal(vias.length, 3);
    assert.match(vias[0]!, /^SIP\/2\.0\/UDP 127\.0\.0\.1:5070;branch=z9hG4bK[^;,]+$/);
    assert.equal(vias[1], 'SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKolder;received=10.0.0.8');
    assert.equal(vias[2], 'SIP/2.0/TCP 10.0.0.7');
    assert.equal(sent.topVia!.branch, req.topVia!.branch);
    await flush();
  });
});
