import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { SipRequest } from '../../../resource-adaptors/sip/message/index.js';
import { ANSWER, CALLER_CALL_ID, CLEAN, bridgeHarness } from './bridge-harness.js';
import { answer, incoming } from './stack-harness.js';

const RE_OFFER = 'v=0\r\no=caller 1 2 IN IP4 127.0.0.2\r\n';
const RE_ANSWER = 'v=0\r\no=callee 1 2 IN IP4 127.0.0.9\r\n';

/** A bridge answered by Bob and ACKed by the caller. */
function connected() {
  const h = bridgeHarness();
  const [leg] = h.outbound();
  h.calleeAnswers(leg!, 200, ANSWER);
  h.callerSends({ method: 'ACK', branch: 'z9hG4bKack1' });
  return { ...h, leg: leg! };
}

/** Final responses the caller got for its request with CSeq `seq`. */
function finalsToCaller(h: ReturnType<typeof connected>, seq: number): number[] {
  return h.transport
    .responses()
    .filter((r) => r.callId === CALLER_CALL_ID && r.cseq.seq === seq && r.status >= 200)
    .map((r) => r.status);
}

describe('B2BUA races: CANCEL from the caller against a 2xx from the callee', () => {
  it('CANCEL first: the caller gets 487, the crossing 200 is ACKed and BYEd, and nothing is left half-open', () => {
    const h = bridgeHarness();
    const [leg] = h.outbound();
    h.calleeAnswers(leg!, 180);
    h.transport.inject(incoming({ method: 'CANCEL' }));
    assert.deepEqual(
      h.toCaller('CANCEL').map((r) => r.status),
      [200],
    );
    assert.equal(h.toCaller().at(-1)!.status, 487);
    assert.equal(h.calleeRequests('CANCEL').length, 1);
    // Bob answered before our CANCEL reached him.
    h.calleeAnswers(leg!, 200, ANSWER);
    const acks = h.calleeRequests('ACK');
    assert.equal(acks.length, 1);
    const byes = h.calleeRequests('BYE');
    assert.equal(byes.length, 1);
    assert.equal(byes[0]!.callId, leg!.callId);
    h.transport.inject(answer(h.calleeRequests('CANCEL')[0]!, 200));
    h.transport.inject(answer(byes[0]!, 200));
    h.transport.inject(incoming({ method: 'ACK', toTag: h.toCaller().at(-1)!.to.tag! }));
    assert.equal(h.toCaller().filter((r) => r.status === 200).length, 0, 'the caller never sees the 200');
    assert.deepEqual(h.events, ['failed 487']);
    assert.equal(h.bridge().state, 'ended');
    assert.deepEqual(h.drained(), CLEAN);
    assert.deepEqual(h.errors, []);
  });

  it('CANCEL first on a late-offer call: the deferred ACK of the crossing 200 still goes before the BYE', () => {
    const h = bridgeHarness({}, {});
    const [leg] = h.outbound();
    h.calleeAnswers(leg!, 180);
    h.transport.inject(incoming({ method: 'CANCEL' }));
    h.calleeAnswers(leg!, 200, ANSWER);
    const sent = h.transport.sent.map((s) => s.message).filter((m): m is SipRequest => m.isRequest && (m as SipRequest).callId === leg!.callId);
    assert.deepEqual(
      sent.map((r) => r.method),
      ['INVITE', 'CANCEL', 'ACK', 'BYE'],
    );
    assert.deepEqual(h.events, ['failed 487']);
  });

  it('200 first: the caller gets the 200, its crossing CANCEL gets 200 and changes nothing', () => {
    const h = bridgeHarness();
    const [leg] = h.outbound();
    h.calleeAnswers(leg!, 180);
    h.calleeAnswers(leg!, 200, ANSWER);
    h.transport.inject(incoming({ method: 'CANCEL' }));
    assert.deepEqual(
      h.toCaller('CANCEL').map((r) => r.status),
      [200],
    );
    assert.deepEqual(
      h.toCaller().map((r) => r.status),
      [180, 200],
    );
    assert.equal(h.calleeRequests('CANCEL').length, 0);
    assert.equal(h.calleeRequests('BYE').length, 0);
    assert.equal(h.bridge().state, 'connected');
  });

  it("a losing parallel leg's late 2xx is ACKed and BYEd", () => {
    const h = bridgeHarness({ targets: ['sip:bob@127.0.0.9:5080', 'sip:carol@127.0.0.10:5080'] });
    const [bob] = h.outbound('bob');
    const [carol] = h.outbound('carol');
    h.calleeAnswers(bob!, 180);
    h.calleeAnswers(carol!, 180, undefined, 'c1');
    h.calleeAnswers(bob!, 200, ANSWER);
    h.calleeAnswers(carol!, 200, ANSWER, 'c1');
    assert.equal(h.calleeRequests('ACK').filter((a) => a.callId === carol!.callId).length, 1);
    assert.equal(h.calleeRequests('BYE').filter((b) => b.callId === carol!.callId).length, 1);
    assert.equal(h.toCaller().filter((r) => r.status === 200).length, 1);
    assert.equal(h.bridge().state, 'connected');
    assert.equal(h.bridge().outbound?.callId, bob!.callId);
  });
});

describe('B2BUA races: re-INVITE glare across the bridge (RFC 3261 §14)', () => {
  it("the caller's and the callee's re-INVITEs cross: the callee's gets 491, ours is retried after the §14.1 delay and its answer reaches the caller", () => {
    const h = connected();
    h.callerSends({ branch: 'z9hG4bKre1', cseq: 2 }, RE_OFFER);
    const relayed = h.outbound().at(-1)!;
    // Bob's own re-INVITE crossed ours: the dialog layer refuses it.
    h.calleeSends(h.leg, { branch: 'z9hG4bKbre1', cseq: 7 }, RE_ANSWER);
    const refused = h.transport.responses(491).filter((r) => r.callId === h.leg.callId);
    assert.equal(refused.length, 1);
    assert.equal(h.callerRequests('INVITE').length, 0, "Bob's refused re-INVITE never reached the caller");
    // Bob refuses ours too; we own the leg's Call-ID, so the retry waits 2.1-4 s (pinned to 2.1 s).
    const pinned = mock.method(Math, 'random', () => 0);
    try {
      h.transport.inject(answer(relayed, 491));
    } finally {
      pinned.mock.restore();
    }
    assert.deepEqual(finalsToCaller(h, 2), [], 'the caller waits; no 491 crosses the bridge');
    h.clock.advance(2_099);
    assert.equal(h.outbound().length, 2);
    h.clock.advance(1);
    const retry = h.outbound().at(-1)!;
    assert.equal(h.outbound().length, 3);
    assert.equal(retry.body.toString(), RE_OFFER);
    h.calleeAnswers(retry, 200, RE_ANSWER);
    assert.deepEqual(finalsToCaller(h, 2), [200]);
    assert.equal(
      h
        .toCaller()
        .find((r) => r.cseq.seq === 2 && r.status === 200)!
        .body.toString(),
      RE_ANSWER,
    );
    assert.deepEqual(h.errors, []);
  });

  it("while the caller's relayed re-INVITE waits to retry after 491, the callee's own re-INVITE gets 491 from the bridge", () => {
    const h = connected();
    h.callerSends({ branch: 'z9hG4bKre1', cseq: 2 }, RE_OFFER);
    h.transport.inject(answer(h.outbound().at(-1)!, 491));
    h.calleeSends(h.leg, { branch: 'z9hG4bKbre1', cseq: 7 }, RE_ANSWER);
    assert.equal(h.callerRequests('INVITE').length, 0);
    assert.deepEqual(
      h.transport
        .responses()
        .filter((r) => r.callId === h.leg.callId && r.cseq.seq === 7)
        .map((r) => r.status),
      [491],
    );
    assert.deepEqual(h.errors, []);
  });

  it("a re-INVITE from the callee relayed to the caller meets the caller's own: the dialog layer answers the caller 491", () => {
    const h = connected();
    h.calleeSends(h.leg, { branch: 'z9hG4bKbre1', cseq: 7 }, RE_OFFER);
    const towardsCaller = h.callerRequests('INVITE')[0]!;
    assert.equal(towardsCaller.body.toString(), RE_OFFER);
    // The caller's re-INVITE crosses ours on its leg (refused 491 there by the dialog layer)...
    h.callerSends({ branch: 'z9hG4bKre1', cseq: 2 }, RE_ANSWER);
    assert.deepEqual(finalsToCaller(h, 2), [491]);
    // ...and a second re-INVITE from Bob while his first is unanswered gets 500 with Retry-After (§14.2).
    h.calleeSends(h.leg, { branch: 'z9hG4bKbre2', cseq: 8 });
    const busy = h.transport.responses(500).find((r) => r.callId === h.leg.callId)!;
    assert.ok(busy.get('Retry-After') !== undefined);
    h.transport.inject(answer(towardsCaller, 200));
    assert.equal(h.transport.responses(200).filter((r) => r.callId === h.leg.callId && r.cseq.seq === 7).length, 1);
  });
});

describe('B2BUA races: BYE on one leg against a re-INVITE relayed to the other', () => {
  it("the callee's BYE crosses the caller's relayed re-INVITE: the caller gets 487 then BYE; the callee's late 200 is ACKed", () => {
    const h = connected();
    h.callerSends({ branch: 'z9hG4bKre1', cseq: 2 }, RE_OFFER);
    const relayed = h.outbound().at(-1)!;
    h.calleeSends(h.leg, { method: 'BYE', branch: 'z9hG4bKbye1', cseq: 7 });
    assert.equal(h.transport.responses(200).filter((r) => r.callId === h.leg.callId && r.cseq.method === 'BYE').length, 1);
    assert.deepEqual(finalsToCaller(h, 2), [487]);
    assert.equal(h.callerRequests('BYE').length, 1);
    // The answer Bob sent before our re-INVITE met his BYE.
    h.calleeAnswers(relayed, 200, RE_ANSWER);
    assert.equal(h.calleeRequests('ACK').filter((a) => a.cseq.seq === relayed.cseq.seq).length, 1);
    assert.deepEqual(finalsToCaller(h, 2), [487], 'nothing more reaches the caller');
    h.transport.inject(answer(h.callerRequests('BYE')[0]!, 200));
    h.transport.inject(incoming({ method: 'ACK', branch: 'z9hG4bKre1', cseq: 2, toTag: h.toCaller()[0]!.to.tag! }));
    assert.deepEqual(h.events, ['answered 200', 'ended outbound remote-bye']);
    assert.deepEqual(h.drained(), CLEAN);
    assert.deepEqual(h.errors, []);
  });

  it("the caller's BYE crosses the callee's re-INVITE relayed to it: the callee's re-INVITE gets 487, the callee BYE", () => {
    const h = connected();
    h.calleeSends(h.leg, { branch: 'z9hG4bKbre1', cseq: 7 }, RE_OFFER);
    const towardsCaller = h.callerRequests('INVITE')[0]!;
    h.callerSends({ method: 'BYE', branch: 'z9hG4bKbye1', cseq: 2 });
    const toCallee = h.transport.responses().filter((r) => r.callId === h.leg.callId && r.cseq.seq === 7 && r.status >= 200);
    assert.deepEqual(
      toCallee.map((r) => r.status),
      [487],
    );
    assert.equal(h.calleeRequests('BYE').length, 1);
    h.transport.inject(answer(towardsCaller, 481));
    h.transport.inject(answer(h.calleeRequests('BYE')[0]!, 200));
    h.calleeSends(h.leg, { method: 'ACK', branch: 'z9hG4bKbre1', cseq: 7 });
    assert.deepEqual(h.events, ['answered 200', 'ended inbound remote-bye']);
    assert.deepEqual(h.drained(), CLEAN);
    assert.deepEqual(h.errors, []);
  });
});

describe('B2BUA races: a leg ends while the other is in a transaction', () => {
  it("the caller hangs up while its INFO waits on the callee: the INFO gets 487, the callee BYE, the callee's late answer is dropped", () => {
    const h = connected();
    h.callerSends({ method: 'INFO', branch: 'z9hG4bKinfo1', cseq: 2, extra: 'Info-Package: dtmf\n' });
    const info = h.calleeRequests('INFO')[0]!;
    h.callerSends({ method: 'BYE', branch: 'z9hG4bKbye1', cseq: 3 });
    assert.deepEqual(finalsToCaller(h, 2), [487]);
    assert.equal(h.calleeRequests('BYE').length, 1);
    h.transport.inject(answer(info, 200));
    assert.deepEqual(finalsToCaller(h, 2), [487]);
    h.transport.inject(answer(h.calleeRequests('BYE')[0]!, 200));
    assert.deepEqual(h.events, ['answered 200', 'ended inbound remote-bye']);
    assert.deepEqual(h.drained(), CLEAN);
    assert.deepEqual(h.errors, []);
  });

  it('the callee never answers the relayed re-INVITE and the caller hangs up: every transaction and timer ends', () => {
    const h = connected();
    h.callerSends({ branch: 'z9hG4bKre1', cseq: 2 }, RE_OFFER);
    h.callerSends({ method: 'BYE', branch: 'z9hG4bKbye1', cseq: 3 });
    assert.deepEqual(finalsToCaller(h, 2), [487]);
    h.transport.inject(incoming({ method: 'ACK', branch: 'z9hG4bKre1', cseq: 2, toTag: h.toCaller()[0]!.to.tag! }));
    assert.deepEqual(h.drained(), CLEAN);
    assert.deepEqual(h.errors, []);
  });

  it('a glare retry waiting on the callee leg is dropped when the caller hangs up', () => {
    const h = connected();
    h.callerSends({ branch: 'z9hG4bKre1', cseq: 2 }, RE_OFFER);
    h.transport.inject(answer(h.outbound().at(-1)!, 491));
    h.callerSends({ method: 'BYE', branch: 'z9hG4bKbye1', cseq: 3 });
    assert.deepEqual(finalsToCaller(h, 2), [487]);
    h.transport.inject(incoming({ method: 'ACK', branch: 'z9hG4bKre1', cseq: 2, toTag: h.toCaller()[0]!.to.tag! }));
    h.transport.inject(answer(h.calleeRequests('BYE')[0]!, 200));
    assert.deepEqual(h.drained(), CLEAN);
    assert.equal(h.outbound().length, 2, 'no retry after the end');
  });
});
