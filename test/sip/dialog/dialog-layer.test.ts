import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Dialog } from '../../../resource-adaptors/sip/dialog/index.js';
import type { SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { answer, flush, incoming, stackHarness } from './stack-harness.js';

function uacCall(options: { deferAck?: boolean } = {}) {
  const h = stackHarness();
  const invite = h.stack.createInvite({ to: 'sip:bob@127.0.0.9:5080', from: 'sip:alice@127.0.0.1' });
  const call = h.stack.invite(invite, options);
  const sent = h.transport.requests('INVITE')[0]!;
  return { ...h, call, sent };
}

describe('UAC dialogs', () => {
  it('creates an early dialog on 180, confirms it on 200 and ACKs along the reversed route set', async () => {
    const { call, sent, transport } = uacCall();
    const rr = ['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>'];
    const contact = { Contact: '<sip:bob@127.0.0.9:5090>' };
    transport.inject(answer(sent, 180, 'b1', { ...contact, 'Record-Route': rr }));
    const early = call.dialogs.get('b1')!;
    assert.equal(early.state, 'early');
    transport.inject(answer(sent, 200, 'b1', { ...contact, 'Record-Route': rr }));
    assert.equal(call.dialog, early);
    assert.equal(early.state, 'confirmed');
    assert.deepEqual(
      early.routeSet.map((r) => r.uri.host),
      ['p1.example.com', 'p2.example.com'],
    );
    const ack = transport.requests('ACK')[0]!;
    assert.equal(ack.uri.toString(), 'sip:bob@127.0.0.9:5090');
    assert.equal(ack.cseq.toString(), `${sent.cseq.seq} ACK`);
    assert.deepEqual(ack.getAll('Route'), ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    assert.notEqual(ack.topVia!.branch, sent.topVia!.branch);
    assert.equal(transport.sent.find((r) => r.message === ack)!.target!.host, 'p1.example.com');
    early.bye();
    const bye = transport.requests('BYE')[0]!;
    assert.equal(bye.cseq.seq, sent.cseq.seq + 1);
    assert.equal(bye.to.tag, 'b1');
    assert.equal(early.state, 'terminated');
    await flush();
  });

  it('applies the strict-route fix-up when the first route has no lr', () => {
    const { call, sent, transport } = uacCall();
    transport.inject(answer(sent, 200, 'b1', { Contact: '<sip:bob@127.0.0.9:5090>', 'Record-Route': ['<sip:p2.example.com;lr>', '<sip:p1.example.com>'] }));
    call.dialog!.sendRequest('INFO');
    const info = transport.requests('INFO')[0]!;
    assert.equal(info.uri.toString(), 'sip:p1.example.com');
    assert.deepEqual(info.getAll('Route'), ['<sip:p2.example.com;lr>', '<sip:bob@127.0.0.9:5090>']);
    assert.equal(transport.sent.find((r) => r.message === info)!.target!.host, 'p1.example.com');
  });

  it('re-sends the ACK for a retransmitted 2xx and only then', () => {
    const { sent, transport } = uacCall();
    const ok = answer(sent, 200, 'b1', { Contact: '<sip:bob@127.0.0.9:5090>' });
    transport.inject(ok);
    transport.inject(answer(sent, 200, 'b1', { Contact: '<sip:bob@127.0.0.9:5090>' }));
    const acks = transport.requests('ACK');
    assert.equal(acks.length, 2);
    assert.equal(acks[0], acks[1]);
  });

  it("keeps one early dialog per fork, and ACKs then BYEs a second fork's 2xx", () => {
    const { call, sent, transport } = uacCall();
    const forked: Dialog[] = [];
    call.on('forked-success', (_r, d) => forked.push(d));
    transport.inject(answer(sent, 180, 'a', { Contact: '<sip:a@127.0.0.10>' }));
    transport.inject(answer(sent, 180, 'b', { Contact: '<sip:b@127.0.0.11>' }));
    assert.deepEqual([...call.dialogs.keys()], ['a', 'b']);
    transport.inject(answer(sent, 200, 'a', { Contact: '<sip:a@127.0.0.10>' }));
    transport.inject(answer(sent, 200, 'b', { Contact: '<sip:b@127.0.0.11>' }));
    assert.equal(call.dialog!.remoteTag, 'a');
    assert.equal(call.dialogs.get('b')!.state, 'terminated');
    const acks = transport.requests('ACK');
    assert.deepEqual(
      acks.map((a) => a.to.tag),
      ['a', 'b'],
    );
    const byes = transport.requests('BYE');
    assert.equal(byes.length, 1);
    assert.equal(byes[0]!.to.tag, 'b');
    assert.equal(byes[0]!.uri.toString(), 'sip:b@127.0.0.11');
    assert.equal(forked.length, 1);
    assert.equal(call.dialog!.state, 'confirmed');
  });

  it('defers the ACK until sendAck() when asked (late offer)', () => {
    const { call, sent, transport } = uacCall({ deferAck: true });
    transport.inject(answer(sent, 200, 'b1', { Contact: '<sip:bob@127.0.0.9:5090>' }));
    assert.equal(transport.requests('ACK').length, 0);
    assert.equal(call.dialog!.ackPending, true);
    call.dialog!.sendAck({ body: 'v=0\r\n', contentType: 'application/sdp' });
    const ack = transport.requests('ACK')[0]!;
    assert.equal(ack.body.toString(), 'v=0\r\n');
    assert.equal(ack.get('Content-Type'), 'application/sdp');
  });

  it('ends the dialog when an in-dialog request gets 481 or 408', () => {
    const { call, sent, transport } = uacCall();
    transport.inject(answer(sent, 200, 'b1', { Contact: '<sip:bob@127.0.0.9:5090>' }));
    const dialog = call.dialog!;
    const reasons: string[] = [];
    dialog.on('terminated', (r) => reasons.push(r));
    dialog.sendRequest('INFO');
    transport.inject(answer(transport.requests('INFO')[0]!, 481));
    assert.deepEqual(reasons, ['request-failed']);
  });

  it('updates the remote target from a 2xx to a re-INVITE', () => {
    const { call, sent, transport } = uacCall();
    transport.inject(answer(sent, 200, 'b1', { Contact: '<sip:bob@127.0.0.9:5090>' }));
    call.dialog!.sendRequest('INVITE', { body: 'v=0\r\n', contentType: 'application/sdp' });
    const reinvite = transport.requests('INVITE')[1]!;
    assert.equal(reinvite.cseq.seq, sent.cseq.seq + 1);
    transport.inject(answer(reinvite, 200, 'b1', { Contact: '<sip:bob@127.0.0.12:5099>' }));
    assert.equal(call.dialog!.remoteTarget.toString(), 'sip:bob@127.0.0.12:5099');
    assert.equal(transport.requests('ACK').at(-1)!.cseq.toString(), `${reinvite.cseq.seq} ACK`);
  });
});

describe('UAS dialogs', () => {
  function uas() {
    const h = stackHarness();
    let dialog: Dialog | undefined;
    h.stack.setRequestHandler((request, tx) => {
      if (request.method !== 'INVITE') return false;
      dialog = h.stack.dialogs.uasDialog(tx);
      dialog.respond(tx, 200, { body: 'v=0\r\n', contentType: 'application/sdp' });
      return true;
    });
    h.transport.inject(incoming({ extra: 'Record-Route: <sip:p1.example.com;lr>\n' }));
    return { ...h, dialog: () => dialog! };
  }

  it('re-sends its 2xx at T1, 2*T1... until the ACK arrives', () => {
    const { transport, clock, dialog } = uas();
    const ok = transport.responses(200)[0]!;
    assert.equal(ok.get('Record-Route'), '<sip:p1.example.com;lr>');
    assert.ok(ok.to.tag);
    clock.advance(500);
    clock.advance(1000);
    assert.equal(transport.responses(200).length, 3);
    const acks: SipRequest[] = [];
    dialog().on('ack', (a) => acks.push(a));
    transport.inject(incoming({ method: 'ACK', branch: 'z9hG4bKack1', toTag: ok.to.tag! }));
    assert.equal(acks.length, 1);
    clock.advance(10_000);
    assert.equal(transport.responses(200).length, 3);
    assert.equal(dialog().state, 'confirmed');
  });

  it('sends BYE when the 2xx is never ACKed (64*T1)', () => {
    const { transport, clock, dialog } = uas();
    clock.advance(64 * 500);
    assert.equal(transport.requests('BYE').length, 1);
    assert.equal(dialog().state, 'terminated');
  });

  it('answers 500 to an out-of-order CSeq, refreshes the target on re-INVITE, ends on BYE', () => {
    const { transport, dialog, stack } = uas();
    const tag = transport.responses(200)[0]!.to.tag!;
    transport.inject(incoming({ method: 'ACK', branch: 'z9hG4bKack1', toTag: tag }));
    const d = dialog();
    d.on('request', (request, tx) => d.respond(tx, 200));
    transport.inject(incoming({ method: 'INFO', branch: 'z9hG4bKi5', cseq: 5, toTag: tag }));
    transport.inject(incoming({ method: 'INFO', branch: 'z9hG4bKi3', cseq: 3, toTag: tag }));
    assert.deepEqual(
      transport
        .responses()
        .filter((r) => r.cseq.method === 'INFO')
        .map((r) => r.status),
      [200, 500],
    );
    transport.inject(incoming({ method: 'INVITE', branch: 'z9hG4bKre', cseq: 6, toTag: tag, extra: '' }).clone());
    const reinvite = incoming({ method: 'UPDATE', branch: 'z9hG4bKup', cseq: 7, toTag: tag });
    reinvite.set('Contact', '<sip:alice@127.0.0.3:5071>');
    transport.inject(reinvite);
    assert.equal(d.remoteTarget.toString(), 'sip:alice@127.0.0.3:5071');
    transport.inject(incoming({ method: 'BYE', branch: 'z9hG4bKbye', cseq: 8, toTag: tag }));
    assert.equal(transport.responses().find((r) => r.cseq.method === 'BYE')!.status, 200);
    assert.equal(d.state, 'terminated');
    assert.equal(stack.dialogs.size, 0);
  });

  it('answers 481 to a request for an unknown dialog', () => {
    const { transport } = stackHarness();
    transport.inject(incoming({ method: 'BYE', toTag: 'nosuch' }));
    assert.equal(transport.responses()[0]!.status, 481);
  });
});
