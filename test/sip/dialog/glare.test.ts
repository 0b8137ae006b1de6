import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { Dialog, DialogTerminationReason } from '../../../resource-adaptors/sip/dialog/index.js';
import type { SipRequest, SipResponse } from '../../../resource-adaptors/sip/message/index.js';
import type { ServerTransaction } from '../../../resource-adaptors/sip/transaction/index.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { SipStackOptions } from '../../../resource-adaptors/sip/stack/index.js';
import { answer, incoming, stackHarness } from './stack-harness.js';

const PEER_CONTACT = { Contact: '<sip:bob@127.0.0.9:5090>' };

/** A confirmed dialog in which we are the UAS: the peer owns the Call-ID (§14.1: we retry after 0-2 s). */
function uasDialog(options: SipStackOptions = {}) {
  const h = stackHarness(options);
  let dialog: Dialog | undefined;
  h.stack.setRequestHandler((request, tx) => {
    if (request.method !== 'INVITE') return false;
    dialog = h.stack.dialogs.uasDialog(tx);
    dialog.respond(tx, 200);
    return true;
  });
  h.transport.inject(incoming());
  const ok = h.transport.responses(200).at(-1)!;
  h.transport.inject(incoming({ method: 'ACK', branch: 'z9hG4bKack1', toTag: ok.to.tag! }));
  return { ...h, dialog: dialog!, peer: (spec: Parameters<typeof incoming>[0]) => incoming({ toTag: ok.to.tag!, ...spec }) };
}

/** A confirmed dialog in which we are the UAC: we own the Call-ID (§14.1: we retry after 2.1-4 s). */
function uacDialog() {
  const h = stackHarness();
  const call = h.stack.invite(h.stack.createInvite({ to: 'sip:bob@127.0.0.9:5080', from: 'sip:alice@127.0.0.1' }));
  const sent = h.transport.requests('INVITE')[0]!;
  h.transport.inject(answer(sent, 200, 'b1', PEER_CONTACT));
  const dialog = call.dialog!;
  const peer = (spec: Parameters<typeof incoming>[0]) => incoming({ callId: sent.callId, fromTag: 'b1', toTag: dialog.localTag, ...spec });
  return { ...h, dialog, peer };
}

function observe(dialog: Dialog) {
  const requests: SipRequest[] = [];
  const held: ServerTransaction[] = [];
  const reasons: DialogTerminationReason[] = [];
  dialog.on('request', (request, tx) => {
    requests.push(request);
    held.push(tx);
  });
  dialog.on('terminated', (r) => reasons.push(r));
  return { requests, held, reasons };
}

/** Injects the 491 to our re-INVITE with Math.random pinned to `random`, so the retry delay is known. */
function glare491(inject: (response: SipResponse) => void, reinvite: SipRequest, random: number): void {
  const pinned = mock.method(Math, 'random', () => random);
  try {
    inject(answer(reinvite, 491));
  } finally {
    pinned.mock.restore();
  }
}

describe('re-INVITE glare, UAS side (RFC 3261 §14.2)', () => {
  it('answers 491 itself to a re-INVITE that arrives while ours is pending, without telling the application', () => {
    const { transport, dialog, peer } = uasDialog();
    const seen = observe(dialog);
    dialog.sendRequest('INVITE');
    transport.inject(peer({ branch: 'z9hG4bKre2', cseq: 2 }));
    const pending = transport.responses(491);
    assert.equal(pending.length, 1);
    assert.equal(pending[0]!.cseq.seq, 2);
    assert.equal(pending[0]!.to.tag, dialog.localTag);
    assert.equal(seen.requests.length, 0);
    assert.equal(dialog.state, 'confirmed');
  });

  it('answers 500 with Retry-After 0-10 s to a re-INVITE that arrives while the previous one is unanswered', () => {
    const { transport, dialog, peer } = uasDialog();
    const seen = observe(dialog);
    transport.inject(peer({ branch: 'z9hG4bKre2', cseq: 2 }));
    assert.equal(seen.requests.length, 1);
    const pinned = mock.method(Math, 'random', () => 0.9999);
    try {
      transport.inject(peer({ branch: 'z9hG4bKre3', cseq: 3 }));
    } finally {
      pinned.mock.restore();
    }
    const refused = transport.responses(500);
    assert.equal(refused.length, 1);
    assert.equal(refused[0]!.cseq.seq, 3);
    assert.equal(refused[0]!.get('Retry-After'), '10');
    assert.equal(seen.requests.length, 1);
    const low = mock.method(Math, 'random', () => 0);
    try {
      transport.inject(peer({ branch: 'z9hG4bKre4', cseq: 4 }));
    } finally {
      low.mock.restore();
    }
    assert.equal(transport.responses(500)[1]!.get('Retry-After'), '0');
    // Once the first is answered, the next re-INVITE reaches the application again.
    dialog.respond(seen.held[0]!, 200);
    transport.inject(peer({ branch: 'z9hG4bKre5', cseq: 5 }));
    assert.equal(seen.requests.length, 2);
  });

  it('refuses to send a re-INVITE of ours while one is pending, in either direction (§14.1)', () => {
    const { transport, dialog, peer } = uasDialog();
    observe(dialog);
    dialog.sendRequest('INVITE');
    assert.throws(
      () => dialog.sendRequest('INVITE'),
      (err: unknown) => SleetError.is(err, ErrorCode.SIP_REINVITE_PENDING),
    );
    transport.inject(answer(transport.requests('INVITE').at(-1)!, 200, undefined, PEER_CONTACT));
    transport.inject(peer({ branch: 'z9hG4bKre2', cseq: 2 }));
    assert.throws(
      () => dialog.sendRequest('INVITE'),
      (err: unknown) => SleetError.is(err, ErrorCode.SIP_REINVITE_PENDING),
    );
    // Other requests are not INVITE transactions and still go.
    dialog.sendRequest('INFO');
    assert.equal(transport.requests('INFO').length, 1);
  });
});

describe('re-INVITE glare, UAC side (RFC 3261 §14.1)', () => {
  for (const [random, delay] of [
    [0, 0],
    [0.9999, 2000],
  ] as const) {
    it(`without the Call-ID, retries a 491ed re-INVITE after ${delay} ms (random ${random}) and shows only the retry's outcome`, () => {
      const { transport, clock, dialog } = uasDialog();
      const outcomes: number[] = [];
      dialog.sendRequest('INVITE', { body: 'v=0\r\n', contentType: 'application/sdp', onResponse: (r) => outcomes.push(r.status) });
      const first = transport.requests('INVITE').at(-1)!;
      glare491((m) => transport.inject(m), first, random);
      assert.deepEqual(outcomes, []);
      if (delay > 0) {
        clock.advance(delay - 10);
        assert.equal(transport.requests('INVITE').length, 1);
      }
      clock.advance(delay > 0 ? 10 : 0);
      const retry = transport.requests('INVITE').at(-1)!;
      assert.notEqual(retry, first);
      assert.equal(retry.cseq.seq, first.cseq.seq + 1);
      assert.notEqual(retry.topVia!.branch, first.topVia!.branch);
      assert.equal(retry.body.toString(), 'v=0\r\n');
      transport.inject(answer(retry, 200, undefined, PEER_CONTACT));
      assert.deepEqual(outcomes, [200]);
      assert.equal(transport.requests('ACK').at(-1)!.cseq.seq, retry.cseq.seq);
    });
  }

  for (const [random, delay] of [
    [0, 2100],
    [0.9999, 4000],
  ] as const) {
    it(`owning the Call-ID, retries a 491ed re-INVITE after ${delay} ms (random ${random})`, () => {
      const { transport, clock, dialog } = uacDialog();
      dialog.sendRequest('INVITE');
      glare491((m) => transport.inject(m), transport.requests('INVITE').at(-1)!, random);
      clock.advance(delay - 10);
      assert.equal(transport.requests('INVITE').length, 2);
      clock.advance(10);
      assert.equal(transport.requests('INVITE').length, 3);
    });
  }

  it('retries once: a second 491 reaches the application', () => {
    const { transport, clock, dialog } = uacDialog();
    const outcomes: number[] = [];
    const events: number[] = [];
    dialog.on('response', (r) => events.push(r.status));
    dialog.sendRequest('INVITE', { onResponse: (r) => outcomes.push(r.status) });
    glare491((m) => transport.inject(m), transport.requests('INVITE').at(-1)!, 0);
    clock.advance(2100);
    transport.inject(answer(transport.requests('INVITE').at(-1)!, 491));
    assert.deepEqual(outcomes, [491]);
    assert.deepEqual(events, [491]);
    clock.advance(10_000);
    assert.equal(transport.requests('INVITE').length, 3);
    assert.equal(dialog.state, 'confirmed');
    // The failure is final: a new re-INVITE may go.
    dialog.sendRequest('INVITE');
    assert.equal(transport.requests('INVITE').length, 4);
  });

  it("while waiting to retry, passes the peer's re-INVITE to the application and refuses our own", () => {
    const { transport, clock, dialog, peer } = uacDialog();
    const seen = observe(dialog);
    dialog.sendRequest('INVITE');
    glare491((m) => transport.inject(m), transport.requests('INVITE').at(-1)!, 0);
    transport.inject(peer({ branch: 'z9hG4bKre2', cseq: 2 }));
    assert.equal(seen.requests.length, 1);
    assert.equal(transport.responses(491).length, 0);
    assert.throws(
      () => dialog.sendRequest('INVITE'),
      (err: unknown) => SleetError.is(err, ErrorCode.SIP_REINVITE_PENDING),
    );
    dialog.respond(seen.held[0]!, 200);
    clock.advance(2100);
    assert.equal(transport.requests('INVITE').length, 3);
  });

  it('does not retry when the dialog ended while waiting', () => {
    const { transport, clock, dialog, peer, errors } = uacDialog();
    const outcomes: number[] = [];
    const seen = observe(dialog);
    dialog.sendRequest('INVITE', { onResponse: (r) => outcomes.push(r.status) });
    glare491((m) => transport.inject(m), transport.requests('INVITE').at(-1)!, 0);
    transport.inject(peer({ method: 'BYE', branch: 'z9hG4bKbye', cseq: 2 }));
    clock.advance(10_000);
    assert.equal(transport.requests('INVITE').length, 2);
    assert.deepEqual(seen.reasons, ['remote-bye']);
    assert.deepEqual(outcomes, []);
    assert.deepEqual(errors, []);
  });
});

describe('BYE racing our re-INVITE (RFC 3261 §15)', () => {
  for (const status of [487, 481, 500]) {
    it(`a BYE ends the dialog; the re-INVITE's later ${status} changes nothing`, () => {
      const { transport, dialog, peer, errors, stack } = uacDialog();
      const seen = observe(dialog);
      dialog.sendRequest('INVITE');
      const reinvite = transport.requests('INVITE').at(-1)!;
      transport.inject(peer({ method: 'BYE', branch: 'z9hG4bKbye', cseq: 2 }));
      assert.equal(transport.responses(200).at(-1)!.cseq.method, 'BYE');
      assert.equal(dialog.state, 'terminated');
      transport.inject(answer(reinvite, status));
      assert.equal(dialog.state, 'terminated');
      assert.deepEqual(seen.reasons, ['remote-bye']);
      assert.equal(stack.dialogs.size, 0);
      assert.deepEqual(errors, []);
    });
  }

  it('a 2xx to the re-INVITE after the BYE is ACKed (also when retransmitted) and resurrects nothing', () => {
    const { transport, dialog, peer, errors, stack } = uacDialog();
    const seen = observe(dialog);
    dialog.sendRequest('INVITE');
    const reinvite = transport.requests('INVITE').at(-1)!;
    transport.inject(peer({ method: 'BYE', branch: 'z9hG4bKbye', cseq: 2 }));
    const target = dialog.remoteTarget.toString();
    transport.inject(answer(reinvite, 200, undefined, { Contact: '<sip:bob@127.0.0.99:7000>' }));
    transport.inject(answer(reinvite, 200, undefined, { Contact: '<sip:bob@127.0.0.99:7000>' }));
    const acks = transport.requests('ACK').filter((a) => a.cseq.seq === reinvite.cseq.seq);
    assert.equal(acks.length, 2);
    assert.equal(dialog.state, 'terminated');
    assert.equal(dialog.remoteTarget.toString(), target);
    assert.deepEqual(seen.reasons, ['remote-bye']);
    assert.equal(stack.dialogs.size, 0);
    assert.deepEqual(errors, []);
    assert.throws(
      () => dialog.sendRequest('INVITE'),
      (err: unknown) => SleetError.is(err, ErrorCode.SIP_DIALOG),
    );
  });
});

describe('session refresh meeting glare (RFC 4028 over §14.1)', () => {
  it('a refresh re-INVITE answered 491 is retried in the window and its 2xx restarts the timer', () => {
    const { transport, clock, dialog } = uasDialog({ sessionTimers: { sessionExpires: 120 } });
    clock.advance(60_000);
    const refresh = transport.requests('INVITE').at(-1)!;
    assert.equal(refresh.get('Session-Expires'), '120;refresher=uac');
    glare491((m) => transport.inject(m), refresh, 0.5);
    clock.advance(990);
    assert.equal(transport.requests('INVITE').length, 1);
    clock.advance(10);
    const retry = transport.requests('INVITE').at(-1)!;
    assert.equal(retry.get('Session-Expires'), '120;refresher=uac');
    transport.inject(answer(retry, 200, undefined, { 'Session-Expires': '120;refresher=uac', ...PEER_CONTACT }));
    assert.equal(dialog.sessionTimer?.refresher, 'local');
    clock.advance(59_999);
    assert.equal(transport.requests('INVITE').length, 2);
    clock.advance(1);
    assert.equal(transport.requests('INVITE').length, 3);
    assert.equal(dialog.state, 'confirmed');
  });
});

describe('session refresh while an INVITE is in progress', () => {
  it("waits for the peer's unanswered re-INVITE instead of sending its own, then refreshes", () => {
    const { transport, clock, dialog, peer, errors } = uasDialog({ sessionTimers: { sessionExpires: 120 } });
    const seen = observe(dialog);
    clock.advance(59_000);
    transport.inject(peer({ branch: 'z9hG4bKre2', cseq: 2 }));
    clock.advance(1_000);
    assert.equal(transport.requests('INVITE').length, 0);
    assert.deepEqual(errors, []);
    clock.advance(500);
    dialog.respond(seen.held[0]!, 488);
    clock.advance(500);
    assert.equal(transport.requests('INVITE').length, 1);
    assert.equal(transport.requests('INVITE')[0]!.get('Session-Expires'), '120;refresher=uac');
  });
});
