import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { Dialog } from '../../../resource-adaptors/sip/dialog/index.js';
import type { SipRequest, SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import type { ServerTransaction } from '../../../resource-adaptors/sip/transaction/index.js';
import { answer, incoming, stackHarness } from './stack-harness.js';

/** RFC 3262 §3: a UAS whose handler keeps the INVITE's transaction and dialog for the test to answer. */
function uas(extra = 'Supported: 100rel\n') {
  const h = stackHarness();
  let tx: ServerTransaction | undefined;
  h.stack.setRequestHandler((request, t) => {
    if (request.method !== 'INVITE') return false;
    tx = t;
    return true;
  });
  h.transport.inject(incoming({ extra }));
  const dialog = (): Dialog => h.stack.dialogs.uasDialog(tx!);
  const reliable = (): SipResponse[] => h.transport.responses().filter((r) => r.status > 100 && r.status < 200);
  const prack = (response: SipResponse, rack = `${response.get('RSeq')} 1 INVITE`, branch = 'z9hG4bKpr1', cseq = 2): void =>
    h.transport.inject(incoming({ method: 'PRACK', branch, cseq, toTag: response.to.tag!, extra: `RAck: ${rack}\n` }));
  const prackAnswers = (): number[] =>
    h.transport
      .responses()
      .filter((r) => r.cseq.method === 'PRACK')
      .map((r) => r.status);
  return { ...h, tx: () => tx!, dialog, reliable, prack, prackAnswers };
}

describe('RFC 3262 UAS: reliable provisional responses', () => {
  it('sends a reliable 180 with Require: 100rel and an RSeq, re-sends it at T1, 2T1, 4T1... until the PRACK, and answers the PRACK 200', () => {
    const { clock, transport, tx, dialog, reliable, prack, prackAnswers } = uas();
    dialog().respond(tx(), 180, { reliable: true });
    const ringing = reliable()[0]!;
    assert.deepEqual(ringing.getAll('Require'), ['100rel']);
    const rseq = Number(ringing.get('RSeq'));
    assert.ok(Number.isInteger(rseq) && rseq >= 1 && rseq <= 2 ** 31 - 1, `RSeq ${rseq}`);
    clock.advance(7500);
    assert.deepEqual(
      transport.times((m) => !m.isRequest && (m as SipResponse).status === 180),
      [0, 500, 1500, 3500, 7500],
    );
    assert.ok(reliable().every((r) => r.get('RSeq') === String(rseq)));
    const pracks: SipRequest[] = [];
    dialog().on('prack', (p) => pracks.push(p));
    prack(ringing);
    assert.deepEqual(prackAnswers(), [200]);
    assert.equal(pracks.length, 1, 'the dialog tells its user');
    assert.equal(transport.responses().find((r) => r.cseq.method === 'PRACK')!.to.tag, ringing.to.tag);
    clock.advance(20_000);
    assert.equal(reliable().length, 5, 'no retransmission after the PRACK');
    dialog().respond(tx(), 200, { body: 'v=0\r\n', contentType: 'application/sdp' });
    assert.equal(transport.responses(200).filter((r) => r.cseq.method === 'INVITE').length, 1);
  });

  it('answers 481 to a PRACK whose RAck matches nothing, and keeps re-sending', () => {
    const { clock, tx, dialog, reliable, prack, prackAnswers } = uas();
    dialog().respond(tx(), 183, { reliable: true, body: 'v=0\r\n', contentType: 'application/sdp' });
    const progress = reliable()[0]!;
    const rseq = Number(progress.get('RSeq'));
    prack(progress, `${rseq + 1} 1 INVITE`, 'z9hG4bKbad1', 2);
    prack(progress, `${rseq} 7 INVITE`, 'z9hG4bKbad2', 3);
    assert.deepEqual(prackAnswers(), [481, 481]);
    clock.advance(500);
    assert.equal(reliable().length, 2);
    prack(progress, `${rseq} 1 INVITE`, 'z9hG4bKgood', 4);
    assert.deepEqual(prackAnswers(), [481, 481, 200]);
    prack(progress, `${rseq} 1 INVITE`, 'z9hG4bKagain', 5);
    assert.deepEqual(prackAnswers(), [481, 481, 200, 481], 'an acknowledged response matches no more');
  });

  it('gives up after 64*T1 without PRACK: the INVITE is answered 500 and the early dialog ends', () => {
    const { clock, transport, tx, dialog, reliable } = uas();
    dialog().respond(tx(), 180, { reliable: true });
    const d = dialog();
    clock.advance(64 * 500 - 1);
    assert.equal(transport.responses().filter((r) => r.status >= 200).length, 0);
    assert.equal(reliable().length, 7, 'sent at 0, 0.5, 1.5, 3.5, 7.5, 15.5 and 31.5 s');
    clock.advance(1);
    const finals = transport.responses().filter((r) => r.status >= 200);
    assert.deepEqual(
      finals.map((r) => r.status),
      [500],
    );
    assert.equal(finals[0]!.to.tag, d.localTag);
    assert.equal(d.state, 'terminated');
    clock.advance(60_000);
    assert.equal(reliable().length, 7);
  });

  it('holds a second reliable provisional until the first is PRACKed, with the next RSeq', () => {
    const { clock, transport, tx, dialog, reliable, prack } = uas();
    dialog().respond(tx(), 180, { reliable: true });
    dialog().respond(tx(), 183, { reliable: true });
    clock.advance(600);
    assert.deepEqual(
      reliable().map((r) => r.status),
      [180, 180],
    );
    prack(reliable()[0]!);
    const progress = transport.responses(183);
    assert.equal(progress.length, 1);
    assert.equal(Number(progress[0]!.get('RSeq')), Number(reliable()[0]!.get('RSeq')) + 1);
  });

  it('stops re-sending when the final response goes out', () => {
    const { clock, tx, dialog, reliable } = uas();
    dialog().respond(tx(), 180, { reliable: true });
    dialog().respond(tx(), 486);
    clock.advance(10_000);
    assert.equal(reliable().length, 1);
  });

  it('answers 200 to the PRACK of a reliable 180 that arrives after the 2xx, and 481 to a second one (§3: the UAS must be prepared for it)', () => {
    const { clock, tx, dialog, reliable, prack, prackAnswers } = uas();
    dialog().respond(tx(), 180, { reliable: true });
    dialog().respond(tx(), 200, { body: 'v=0\r\n', contentType: 'application/sdp' });
    clock.advance(5000);
    assert.equal(reliable().length, 1, 'not re-sent after the final response');
    prack(reliable()[0]!);
    prack(reliable()[0]!, undefined, 'z9hG4bKpr2', 3);
    assert.deepEqual(prackAnswers(), [200, 481]);
    assert.equal(dialog().state, 'confirmed');
  });

  it('sends every provisional reliably when the INVITE has Require: 100rel, asked or not', () => {
    const { tx, dialog, reliable } = uas('Require: 100rel\n');
    dialog().respond(tx(), 180);
    assert.ok(reliable()[0]!.has('RSeq'));
    assert.deepEqual(reliable()[0]!.getAll('Require'), ['100rel']);
  });

  it('refuses a reliable provisional the UAC did not offer to PRACK, and sends nothing', () => {
    const { tx, dialog, reliable } = uas('');
    assert.throws(
      () => dialog().respond(tx(), 180, { reliable: true }),
      (err: unknown) => SleetError.is(err, ErrorCode.SIP_100REL_NOT_SUPPORTED),
    );
    assert.equal(reliable().length, 0);
    dialog().respond(tx(), 180);
    assert.equal(reliable()[0]!.has('RSeq'), false, 'an unreliable 180 still goes');
  });

  it('answers 481 to a PRACK in a dialog with nothing to acknowledge', () => {
    const { tx, dialog, reliable, prack, prackAnswers } = uas();
    dialog().respond(tx(), 180);
    prack(reliable()[0]!, '1 1 INVITE');
    assert.deepEqual(prackAnswers(), [481]);
  });
});

function uacCall() {
  const h = stackHarness();
  const invite = h.stack.createInvite({ to: 'sip:bob@127.0.0.9:5080', from: 'sip:alice@127.0.0.1' });
  const call = h.stack.invite(invite);
  const sent = h.transport.requests('INVITE')[0]!;
  const provisional = (rseq: number, status = 180): SipResponse =>
    answer(sent, status, 'b1', { Contact: '<sip:bob@127.0.0.9:5090>', Require: '100rel', RSeq: String(rseq) });
  return { ...h, call, sent, provisional };
}

describe('RFC 3262 UAC: PRACK', () => {
  it('offers 100rel in its INVITEs', () => {
    const { sent } = uacCall();
    assert.ok(sent.getAll('Supported').includes('100rel'));
  });

  it('PRACKs a reliable provisional once per RSeq, in the early dialog, ignoring retransmissions and out-of-order ones', () => {
    const { transport, call, sent, provisional } = uacCall();
    const seen: SipResponse[] = [];
    call.on('provisional', (r) => seen.push(r));
    transport.inject(provisional(41));
    const pracks = (): SipRequest[] => transport.requests('PRACK');
    assert.equal(pracks().length, 1);
    const prack = pracks()[0]!;
    assert.equal(prack.get('RAck'), `41 ${sent.cseq.seq} INVITE`);
    assert.equal(prack.cseq.toString(), `${sent.cseq.seq + 1} PRACK`);
    assert.equal(prack.to.tag, 'b1');
    assert.equal(prack.uri.toString(), 'sip:bob@127.0.0.9:5090');
    assert.equal(prack.callId, sent.callId);
    transport.inject(provisional(41));
    assert.equal(pracks().length, 1, 'a retransmission is not PRACKed again');
    transport.inject(provisional(43, 183));
    assert.equal(pracks().length, 1, 'RSeq 43 after 41 is out of order');
    transport.inject(provisional(42, 183));
    assert.equal(pracks().length, 2);
    assert.equal(pracks()[1]!.get('RAck'), `42 ${sent.cseq.seq} INVITE`);
    assert.equal(pracks()[1]!.cseq.seq, sent.cseq.seq + 2);
    assert.deepEqual(
      seen.map((r) => r.get('RSeq')),
      ['41', '42'],
      'only new reliable provisionals reach the application',
    );
    transport.inject(answer(pracks()[0]!, 200));
    transport.inject(answer(sent, 200, 'b1', { Contact: '<sip:bob@127.0.0.9:5090>' }));
    assert.equal(call.dialog!.state, 'confirmed');
    assert.equal(transport.requests('ACK')[0]!.cseq.toString(), `${sent.cseq.seq} ACK`);
  });

  it('does not PRACK an unreliable provisional', () => {
    const { transport, sent } = uacCall();
    transport.inject(answer(sent, 180, 'b1', { Contact: '<sip:bob@127.0.0.9:5090>' }));
    assert.equal(transport.requests('PRACK').length, 0);
  });
});

describe('100rel in the capabilities of the stack', () => {
  it('allows PRACK and supports 100rel (OPTIONS), and lets an INVITE requiring 100rel through', () => {
    const { stack, transport } = stackHarness();
    transport.inject(incoming({ method: 'OPTIONS' }));
    const options = transport.responses()[0]!;
    assert.ok(options.getAll('Allow').includes('PRACK'));
    assert.ok(options.getAll('Supported').includes('100rel'));
    let invited = 0;
    stack.setRequestHandler(() => {
      invited++;
      return false;
    });
    transport.inject(incoming({ branch: 'z9hG4bKreq', callId: 'c2', extra: 'Require: 100rel\n' }));
    assert.equal(invited, 1);
  });
});
