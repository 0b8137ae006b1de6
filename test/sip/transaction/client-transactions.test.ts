import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import type { InviteClientTransaction } from '../../../resource-adaptors/sip/transaction/index.js';
import { flush } from './fake-transport.js';
import { RecordingOwner, setup, TCP_TARGET, UDP_TARGET } from './harness.js';
import { request, response } from './messages.js';

const isMethod = (method: string) => (m: { isRequest: boolean }) => m.isRequest && (m as SipRequest).method === method;

describe('INVITE client transaction', () => {
  it('retransmits on Timer A with doubling (no T2 cap) and times out on Timer B with a 408', async () => {
    const { clock, transport, layer, errors } = setup();
    const owner = new RecordingOwner();
    const tx = layer.createClientTransaction(request(), UDP_TARGET, owner);
    await flush();
    clock.advance(31999);
    assert.deepEqual(transport.times(isMethod('INVITE')), [0, 500, 1500, 3500, 7500, 15500, 31500]);
    assert.equal(tx.state, 'Calling');
    assert.deepEqual(owner.statuses, []);
    clock.advance(1);
    assert.deepEqual(owner.statuses, [408]);
    assert.equal(tx.state, 'Terminated');
    assert.equal(tx.terminationReason, 'timeout');
    assert.equal(owner.terminated, 1);
    assert.equal(layer.stats.clientTransactions, 0);
    assert.deepEqual(errors, []);
  });

  it('does not retransmit over a reliable transport, but Timer B still applies', async () => {
    const { clock, transport, layer } = setup();
    const owner = new RecordingOwner();
    layer.createClientTransaction(request({ transport: 'TCP' }), TCP_TARGET, owner);
    await flush();
    clock.advance(32000);
    assert.equal(transport.requests('INVITE').length, 1);
    assert.deepEqual(owner.statuses, [408]);
  });

  it('stops Timer A on a provisional and no longer times out on B in Proceeding', async () => {
    const { clock, transport, layer } = setup();
    const owner = new RecordingOwner();
    const invite = request();
    const tx = layer.createClientTransaction(invite, UDP_TARGET, owner);
    await flush();
    clock.advance(600);
    transport.inject(response(invite, 180));
    clock.advance(60000);
    assert.equal(transport.requests('INVITE').length, 2);
    assert.equal(tx.state, 'Proceeding');
    assert.deepEqual(owner.statuses, [180]);
  });

  it('ACKs a non-2xx final in the same transaction, re-ACKs retransmissions, and waits Timer D', async () => {
    const { clock, transport, layer } = setup();
    const owner = new RecordingOwner();
    const invite = request({ branch: 'z9hG4bKack' });
    const tx = layer.createClientTransaction(invite, UDP_TARGET, owner);
    await flush();
    transport.inject(response(invite, 486, 'busy'));
    assert.equal(tx.state, 'Completed');
    const acks = transport.requests('ACK');
    assert.equal(acks.length, 1);
    assert.equal(acks[0]!.topVia!.branch, 'z9hG4bKack');
    assert.equal(acks[0]!.to.tag, 'busy');
    assert.equal(acks[0]!.cseq.method, 'ACK');
    assert.equal(acks[0]!.cseq.seq, invite.cseq.seq);
    assert.equal(acks[0]!.uri.toString(), invite.uri.toString());
    transport.inject(response(invite, 486, 'busy'));
    assert.equal(transport.requests('ACK').length, 2);
    assert.deepEqual(owner.statuses, [486]);
    clock.advance(31999);
    assert.equal(tx.state, 'Completed');
    clock.advance(1);
    assert.equal(tx.state, 'Terminated');
    assert.equal(tx.terminationReason, 'normal');
    assert.equal(transport.requests('INVITE').length, 1);
  });

  it('terminates at once after a non-2xx over a reliable transport (Timer D = 0)', async () => {
    const { transport, layer } = setup();
    const invite = request({ transport: 'TCP' });
    const tx = layer.createClientTransaction(invite, TCP_TARGET, new RecordingOwner());
    await flush();
    transport.inject(response(invite, 603), 'TCP');
    assert.equal(tx.state, 'Terminated');
    assert.equal(transport.requests('ACK').length, 1);
  });

  it('passes 2xx retransmissions up in Accepted (RFC 6026), then hands them to the TU as stray after Timer M', async () => {
    const { clock, transport, user, layer } = setup();
    const owner = new RecordingOwner();
    const invite = request();
    const tx = layer.createClientTransaction(invite, UDP_TARGET, owner);
    await flush();
    transport.inject(response(invite, 200));
    assert.equal(tx.state, 'Accepted');
    transport.inject(response(invite, 200));
    assert.deepEqual(owner.statuses, [200, 200]);
    assert.equal(transport.requests('ACK').length, 0, 'the ACK for a 2xx belongs to the TU');
    clock.advance(32000);
    assert.equal(tx.state, 'Terminated');
    transport.inject(response(invite, 200));
    assert.equal(user.strayResponses.length, 1);
    assert.equal(transport.requests('INVITE').length, 1);
  });

  it('synthesises a 503 when the transport fails', async () => {
    const { transport, layer } = setup();
    transport.failSends = true;
    const owner = new RecordingOwner();
    const tx = layer.createClientTransaction(request(), UDP_TARGET, owner);
    await flush();
    assert.deepEqual(owner.statuses, [503]);
    assert.equal(tx.terminationReason, 'transport-error');
    assert.equal(layer.stats.clientTransactions, 0);
  });

  it('holds a CANCEL until a provisional arrives, then sends it in its own transaction (§9.1)', async () => {
    const { transport, layer } = setup();
    const invite = request({ branch: 'z9hG4bKcancelme' });
    const tx = layer.createClientTransaction(invite, UDP_TARGET, new RecordingOwner()) as InviteClientTransaction;
    await flush();
    const cancelOwner = new RecordingOwner();
    assert.equal(tx.cancel(cancelOwner), true);
    assert.equal(transport.requests('CANCEL').length, 0);
    transport.inject(response(invite, 180));
    const cancels = transport.requests('CANCEL');
    assert.equal(cancels.length, 1);
    const cancel = cancels[0]!;
    assert.equal(cancel.topVia!.branch, 'z9hG4bKcancelme');
    assert.equal(cancel.getAll('Via').length, 1);
    assert.equal(cancel.cseq.seq, invite.cseq.seq);
    assert.equal(cancel.cseq.method, 'CANCEL');
    assert.equal(cancel.callId, invite.callId);
    assert.equal(cancel.uri.toString(), invite.uri.toString());
    assert.equal(layer.stats.clientTransactions, 2);
    transport.inject(response(cancel, 200));
    assert.deepEqual(cancelOwner.statuses, [200]);
    assert.equal(tx.state, 'Proceeding', 'the CANCEL response does not touch the INVITE transaction');
    transport.inject(response(invite, 487));
    assert.equal(tx.state, 'Completed');
  });

  it('refuses to cancel after a final response', async () => {
    const { transport, layer } = setup();
    const invite = request();
    const tx = layer.createClientTransaction(invite, UDP_TARGET, new RecordingOwner()) as InviteClientTransaction;
    await flush();
    transport.inject(response(invite, 404));
    assert.equal(tx.cancel(), false);
    assert.equal(transport.requests('CANCEL').length, 0);
  });
});

describe('non-INVITE client transaction', () => {
  it('retransmits on Timer E doubling up to T2 and times out on Timer F with a 408', async () => {
    const { clock, transport, layer } = setup();
    const owner = new RecordingOwner();
    const tx = layer.createClientTransaction(request({ method: 'OPTIONS' }), UDP_TARGET, owner);
    await flush();
    clock.advance(31999);
    assert.deepEqual(transport.times(isMethod('OPTIONS')), [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    clock.advance(1);
    assert.deepEqual(owner.statuses, [408]);
    assert.equal(tx.terminationReason, 'timeout');
  });

  it('retransmits every T2 once Proceeding', async () => {
    const { clock, transport, layer } = setup();
    const req = request({ method: 'REGISTER' });
    layer.createClientTransaction(req, UDP_TARGET, new RecordingOwner());
    await flush();
    clock.advance(100);
    transport.inject(response(req, 100));
    clock.advance(9900);
    assert.deepEqual(transport.times(isMethod('REGISTER')), [0, 500, 4500, 8500]);
  });

  it('absorbs final retransmissions while Completed and terminates on Timer K = T4', async () => {
    const { clock, transport, layer } = setup();
    const owner = new RecordingOwner();
    const req = request({ method: 'BYE', toTag: 'x' });
    const tx = layer.createClientTransaction(req, UDP_TARGET, owner);
    await flush();
    transport.inject(response(req, 200));
    assert.equal(tx.state, 'Completed');
    transport.inject(response(req, 200));
    clock.advance(4999);
    assert.equal(tx.state, 'Completed');
    assert.equal(transport.requests('BYE').length, 1, 'no retransmissions once Completed');
    clock.advance(1);
    assert.equal(tx.state, 'Terminated');
    assert.deepEqual(owner.statuses, [200]);
  });

  it('terminates at once after the final over a reliable transport (Timer K = 0)', async () => {
    const { transport, layer } = setup();
    const req = request({ method: 'OPTIONS', transport: 'TCP' });
    const tx = layer.createClientTransaction(req, TCP_TARGET, new RecordingOwner());
    await flush();
    transport.inject(response(req, 200), 'TCP');
    assert.equal(tx.state, 'Terminated');
  });
});
