import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Dialog, DialogTerminationReason } from '../../../resource-adaptors/sip/dialog/index.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { SipStackOptions } from '../../../resource-adaptors/sip/stack/index.js';
import { answer, incoming, stackHarness } from './stack-harness.js';

const SDP = 'v=0\r\no=sleet 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n';

/** A UAS stack that answers every INVITE 200 with SDP; `extra` goes into the peer's INVITE. */
function uas(extra: string, options: SipStackOptions = { sessionTimers: {} }) {
  const h = stackHarness(options);
  let dialog: Dialog | undefined;
  let offered = 0;
  const reasons: DialogTerminationReason[] = [];
  h.stack.setRequestHandler((request, tx) => {
    if (request.method !== 'INVITE') return false;
    offered++;
    dialog = h.stack.dialogs.uasDialog(tx);
    dialog.on('terminated', (r) => reasons.push(r));
    dialog.respond(tx, 200, { body: SDP, contentType: 'application/sdp' });
    return true;
  });
  h.transport.inject(incoming({ extra }));
  const ok = h.transport.responses().at(-1)!;
  if (ok.status === 200) h.transport.inject(incoming({ method: 'ACK', branch: 'z9hG4bKack1', toTag: ok.to.tag! }));
  return { ...h, ok, dialog: () => dialog!, offered: () => offered, reasons };
}

describe('session timers, UAS (RFC 4028 §9)', () => {
  it('answers 422 with our Min-SE to a Session-Expires below it, before the application sees the INVITE', () => {
    const { ok, offered } = uas('Supported: timer\nSession-Expires: 60\n');
    assert.equal(ok.status, 422);
    assert.equal(ok.get('Min-SE'), '90');
    assert.equal(offered(), 0);
  });

  it("puts the UAC's Session-Expires and refresher in the 2xx, with Require: timer", () => {
    const { ok, dialog } = uas('Supported: timer\nSession-Expires: 1800;refresher=uac\n');
    assert.equal(ok.status, 200);
    assert.equal(ok.get('Session-Expires'), '1800;refresher=uac');
    assert.equal(ok.get('Require'), 'timer');
    assert.equal(dialog().sessionTimer?.interval, 1800);
    assert.equal(dialog().sessionTimer?.refresher, 'remote');
  });

  it('lowers a longer interval to ours and picks refresher=uac when the UAC supports timer', () => {
    const { ok } = uas('Supported: timer\nSession-Expires: 7200\n', { sessionTimers: { sessionExpires: 600 } });
    assert.equal(ok.get('Session-Expires'), '600;refresher=uac');
  });

  it('inserts its own Session-Expires with refresher=uas and no Require when the UAC does not support timer (§9)', () => {
    const { ok, dialog } = uas('');
    assert.equal(ok.get('Session-Expires'), '1800;refresher=uas');
    assert.equal(ok.get('Require'), undefined);
    assert.equal(dialog().sessionTimer?.refresher, 'local');
  });

  it('leaves INVITEs alone when session timers are off', () => {
    const { ok } = uas('Supported: timer\nSession-Expires: 60\n', {});
    assert.equal(ok.status, 200);
    assert.equal(ok.get('Session-Expires'), undefined);
  });

  it('as refresher, sends UPDATE at half the interval when the peer allows it, and again after its 2xx', () => {
    const { transport, clock, dialog } = uas('Allow: INVITE, ACK, BYE, UPDATE\n', { sessionTimers: { sessionExpires: 120 } });
    clock.advance(59_999);
    assert.equal(transport.requests('UPDATE').length, 0);
    clock.advance(1);
    const update = transport.requests('UPDATE')[0]!;
    assert.equal(update.get('Session-Expires'), '120;refresher=uac');
    assert.equal(update.get('Supported'), 'timer');
    assert.equal(update.body.length, 0);
    transport.inject(answer(update, 200, undefined, { 'Session-Expires': '120;refresher=uac', Require: 'timer' }));
    clock.advance(59_999);
    assert.equal(transport.requests('UPDATE').length, 1);
    clock.advance(1);
    assert.equal(transport.requests('UPDATE').length, 2);
    assert.equal(dialog().state, 'confirmed');
  });

  it('as refresher, falls back to a re-INVITE with the same SDP when the peer does not allow UPDATE', () => {
    const { transport, clock } = uas('Allow: INVITE, ACK, BYE\n', { sessionTimers: { sessionExpires: 120 } });
    clock.advance(60_000);
    assert.equal(transport.requests('UPDATE').length, 0);
    const reinvite = transport.requests('INVITE')[0]!;
    assert.equal(reinvite.body.toString(), SDP);
    assert.equal(reinvite.get('Session-Expires'), '120;refresher=uac');
    transport.inject(answer(reinvite, 200, undefined, { 'Session-Expires': '120;refresher=uac', Contact: '<sip:alice@127.0.0.2:5070>' }));
    assert.equal(transport.requests('ACK').at(-1)!.cseq.seq, reinvite.cseq.seq);
  });

  it('as non-refresher, sends BYE at SE - min(32, SE/3) without a refresh and ends the dialog with session-expired (§10)', () => {
    const { transport, clock, dialog, reasons } = uas('Supported: timer\nSession-Expires: 90;refresher=uac\n');
    clock.advance(59_999);
    assert.equal(transport.requests('BYE').length, 0);
    clock.advance(1);
    assert.equal(transport.requests('BYE').length, 1);
    assert.equal(dialog().state, 'terminated');
    assert.deepEqual(reasons, ['session-expired']);
  });

  it('uses 32 s before expiry for long intervals', () => {
    const { transport, clock } = uas('Supported: timer\nSession-Expires: 1800;refresher=uac\n');
    clock.advance(1768_000 - 1);
    assert.equal(transport.requests('BYE').length, 0);
    clock.advance(1);
    assert.equal(transport.requests('BYE').length, 1);
  });

  it('restarts the timer on a refresh UPDATE and answers it with the negotiated Session-Expires', () => {
    const { transport, clock, ok } = uas('Supported: timer\nSession-Expires: 90;refresher=uac\n');
    clock.advance(50_000);
    transport.inject(
      incoming({ method: 'UPDATE', branch: 'z9hG4bKup1', cseq: 2, toTag: ok.to.tag!, extra: 'Supported: timer\nSession-Expires: 90;refresher=uac\n' }),
    );
    const answered = transport.responses().find((r) => r.cseq.method === 'UPDATE')!;
    assert.equal(answered.status, 200);
    assert.equal(answered.get('Session-Expires'), '90;refresher=uac');
    assert.equal(answered.get('Require'), 'timer');
    clock.advance(59_999);
    assert.equal(transport.requests('BYE').length, 0);
    clock.advance(1);
    assert.equal(transport.requests('BYE').length, 1);
  });

  it('restarts the timer on a refresh re-INVITE the application answers', () => {
    const { transport, clock, ok, dialog } = uas('Supported: timer\nSession-Expires: 90;refresher=uac\n');
    dialog().on('request', (request, tx) => dialog().respond(tx, 200, { body: SDP, contentType: 'application/sdp' }));
    clock.advance(50_000);
    transport.inject(
      incoming({ method: 'INVITE', branch: 'z9hG4bKre1', cseq: 2, toTag: ok.to.tag!, extra: 'Supported: timer\nSession-Expires: 90;refresher=uac\n' }),
    );
    const answered = transport.responses().filter((r) => r.cseq.method === 'INVITE' && r.status === 200)[1]!;
    assert.equal(answered.get('Session-Expires'), '90;refresher=uac');
    transport.inject(incoming({ method: 'ACK', branch: 'z9hG4bKack2', cseq: 2, toTag: ok.to.tag! }));
    clock.advance(59_999);
    assert.equal(transport.requests('BYE').length, 0);
    clock.advance(1);
    assert.equal(transport.requests('BYE').length, 1);
  });

  it("stops with the dialog: after the peer's BYE nothing more is sent and no timer is left", () => {
    const { transport, clock, ok } = uas('Allow: INVITE, ACK, BYE, UPDATE\n', { sessionTimers: { sessionExpires: 120 } });
    transport.inject(incoming({ method: 'BYE', branch: 'z9hG4bKbye', cseq: 2, toTag: ok.to.tag! }));
    clock.advance(200_000);
    assert.equal(transport.requests('UPDATE').length + transport.requests('BYE').length, 0);
  });

  it('answers 422 to a refresh below our Min-SE and keeps the timer running', () => {
    const { transport, clock, ok } = uas('Supported: timer\nSession-Expires: 90;refresher=uac\n');
    transport.inject(incoming({ method: 'UPDATE', branch: 'z9hG4bKup1', cseq: 2, toTag: ok.to.tag!, extra: 'Supported: timer\nSession-Expires: 30\n' }));
    const answered = transport.responses().find((r) => r.cseq.method === 'UPDATE')!;
    assert.equal(answered.status, 422);
    assert.equal(answered.get('Min-SE'), '90');
    clock.advance(60_000);
    assert.equal(transport.requests('BYE').length, 1);
  });

  it('refuses a Min-SE below 90 s unless the test-only option allows it', () => {
    assert.throws(() => stackHarness({ sessionTimers: { minSE: 4 } }), SleetError);
    const { ok } = uas('Supported: timer\nSession-Expires: 4;refresher=uac\n', { sessionTimers: { minSE: 4, allowShortMinSE: true } });
    assert.equal(ok.get('Session-Expires'), '4;refresher=uac');
  });
});

describe('session timers, UAC (RFC 4028 §7)', () => {
  function uac(options: SipStackOptions = { sessionTimers: {} }) {
    const h = stackHarness(options);
    const invite = h.stack.createInvite({ to: 'sip:bob@127.0.0.9:5080', from: 'sip:alice@127.0.0.1', body: SDP, contentType: 'application/sdp' });
    const call = h.stack.invite(invite);
    const failures: number[] = [];
    call.on('failure', (r) => failures.push(r.status));
    return { ...h, call, failures };
  }

  it('offers Session-Expires, Min-SE and Supported: timer', () => {
    const { transport } = uac();
    const sent = transport.requests('INVITE')[0]!;
    assert.equal(sent.get('Session-Expires'), '1800');
    assert.equal(sent.get('Min-SE'), '90');
    assert.deepEqual(sent.getAll('Supported'), ['100rel', 'timer']);
  });

  it('retries once after 422 with the larger Min-SE, same Call-ID and a higher CSeq (§7.3)', () => {
    const { transport, call, failures } = uac({ sessionTimers: { sessionExpires: 120 } });
    const first = transport.requests('INVITE')[0]!;
    transport.inject(answer(first, 422, 'b0', { 'Min-SE': '600' }));
    const retry = transport.requests('INVITE')[1]!;
    assert.equal(retry.callId, first.callId);
    assert.equal(retry.from.tag, first.from.tag);
    assert.equal(retry.cseq.seq, first.cseq.seq + 1);
    assert.notEqual(retry.topVia!.branch, first.topVia!.branch);
    assert.equal(retry.get('Session-Expires'), '600');
    assert.equal(retry.get('Min-SE'), '600');
    assert.deepEqual(failures, []);
    transport.inject(answer(retry, 200, 'b1', { Contact: '<sip:bob@127.0.0.9:5080>', 'Session-Expires': '600;refresher=uac', Require: 'timer' }));
    assert.equal(call.dialog!.state, 'confirmed');
    assert.equal(transport.requests('ACK').at(-1)!.cseq.seq, retry.cseq.seq);
    assert.equal(call.dialog!.sessionTimer?.interval, 600);
    assert.equal(call.dialog!.sessionTimer?.refresher, 'local');
  });

  it('gives up on a second 422', () => {
    const { transport, failures } = uac({ sessionTimers: { sessionExpires: 120 } });
    transport.inject(answer(transport.requests('INVITE')[0]!, 422, 'b0', { 'Min-SE': '600' }));
    transport.inject(answer(transport.requests('INVITE')[1]!, 422, 'b0', { 'Min-SE': '900' }));
    assert.equal(transport.requests('INVITE').length, 2);
    assert.deepEqual(failures, [422]);
  });

  it('takes refresher=uac from the 2xx: refreshes with UPDATE at SE/2, with the SDP-less refresh', () => {
    const { transport, clock, call } = uac({ sessionTimers: { sessionExpires: 90 } });
    const sent = transport.requests('INVITE')[0]!;
    transport.inject(
      answer(sent, 200, 'b1', { Contact: '<sip:bob@127.0.0.9:5080>', 'Session-Expires': '90;refresher=uac', Allow: 'INVITE, ACK, BYE, UPDATE' }),
    );
    clock.advance(45_000);
    const update = transport.requests('UPDATE')[0]!;
    assert.equal(update.get('Session-Expires'), '90;refresher=uac');
    assert.equal(update.to.tag, 'b1');
    assert.equal(call.dialog!.state, 'confirmed');
  });

  it('takes refresher=uas from the 2xx: sends BYE at the §10 moment when no refresh comes', () => {
    const { transport, clock, call } = uac({ sessionTimers: { sessionExpires: 90 } });
    const reasons: DialogTerminationReason[] = [];
    const sent = transport.requests('INVITE')[0]!;
    transport.inject(answer(sent, 200, 'b1', { Contact: '<sip:bob@127.0.0.9:5080>', 'Session-Expires': '90;refresher=uas' }));
    call.dialog!.on('terminated', (r) => reasons.push(r));
    clock.advance(59_999);
    assert.equal(transport.requests('BYE').length, 0);
    clock.advance(1);
    assert.equal(transport.requests('BYE').length, 1);
    assert.deepEqual(reasons, ['session-expired']);
  });

  it('runs no timer when the 2xx has no Session-Expires', () => {
    const { transport, clock, call } = uac();
    transport.inject(answer(transport.requests('INVITE')[0]!, 200, 'b1', { Contact: '<sip:bob@127.0.0.9:5080>' }));
    assert.equal(call.dialog!.sessionTimer, undefined);
    clock.advance(4000_000);
    assert.equal(transport.requests('BYE').length + transport.requests('UPDATE').length, 0);
  });
});
