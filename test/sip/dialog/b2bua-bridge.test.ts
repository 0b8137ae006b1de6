import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ANSWER, BOB, CAROL, CLEAN, OFFER, bridgeHarness, withSdp } from './bridge-harness.js';
import { answer, incoming, stackHarness } from './stack-harness.js';
import { B2buaBridge, type B2buaHost } from '../../../resource-adaptors/sip/b2bua/index.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';

const RE_OFFER = 'v=0\r\no=caller 1 2 IN IP4 127.0.0.2\r\n';
const RE_ANSWER = 'v=0\r\no=callee 1 2 IN IP4 127.0.0.9\r\n';

describe('B2buaBridge: forking', () => {
  it('forks in parallel, relays ringing, takes the first 2xx, CANCELs the other leg and relays BYE', () => {
    const h = bridgeHarness({ targets: [BOB, CAROL] });
    const [bob] = h.outbound('bob');
    const [carol] = h.outbound('carol');
    assert.equal(bob!.body.toString(), OFFER, "the caller's offer goes to every leg");
    assert.equal(bob!.from.uri.user, 'alice', "the caller's From URI is kept");
    assert.notEqual(bob!.callId, carol!.callId);
    h.calleeAnswers(bob!, 180, undefined, 'b1');
    h.calleeAnswers(carol!, 180, undefined, 'c1');
    assert.deepEqual(
      h.toCaller().map((r) => r.status),
      [180, 180],
    );
    h.calleeAnswers(carol!, 200, ANSWER, 'c1');
    const ok = h.toCaller().at(-1)!;
    assert.equal(ok.status, 200);
    assert.equal(ok.body.toString(), ANSWER);
    assert.equal(ok.to.tag, h.toCaller()[0]!.to.tag, 'one dialog with the caller, whichever leg rang');
    assert.equal(h.calleeRequests('CANCEL').length, 1);
    assert.equal(h.calleeRequests('CANCEL')[0]!.callId, bob!.callId);
    h.calleeAnswers(bob!, 487, undefined, 'b1');
    h.callerSends({ method: 'ACK', branch: 'z9hG4bKack1' });
    h.callerSends({ method: 'BYE', branch: 'z9hG4bKbye1', cseq: 2 });
    const bye = h.calleeRequests('BYE');
    assert.equal(bye.length, 1);
    assert.equal(bye[0]!.callId, carol!.callId);
    h.transport.inject(answer(bye[0]!, 200));
    assert.deepEqual(h.events, ['answered 200', 'ended inbound remote-bye']);
    assert.deepEqual(h.drained(), CLEAN);
    assert.deepEqual(h.errors, []);
  });

  it('forks in series on no answer (call forwarding): the ring timeout CANCELs the first leg, then the next target is called', () => {
    const h = bridgeHarness({ targets: [BOB, CAROL], forking: 'serial', ringTimeout: 20_000 });
    const [bob] = h.outbound('bob');
    assert.equal(h.outbound('carol').length, 0);
    h.calleeAnswers(bob!, 180);
    h.clock.advance(19_999);
    assert.equal(h.calleeRequests('CANCEL').length, 0);
    h.clock.advance(1);
    assert.equal(h.calleeRequests('CANCEL').length, 1);
    assert.equal(h.outbound('carol').length, 0, 'the next leg waits for the first to end');
    h.calleeAnswers(bob!, 487);
    const [carol] = h.outbound('carol');
    assert.ok(carol);
    h.calleeAnswers(carol, 200, ANSWER, 'c1');
    assert.equal(h.toCaller().at(-1)!.status, 200);
    assert.deepEqual(h.events, ['answered 200']);
  });

  it('answers the caller with the lowest failure when every leg fails, and a 6xx at once (CANCELling the rest)', () => {
    const serial = bridgeHarness({ targets: [BOB, CAROL], forking: 'serial' });
    serial.calleeAnswers(serial.outbound('bob')[0]!, 486);
    serial.calleeAnswers(serial.outbound('carol')[0]!, 404, undefined, 'c1');
    assert.deepEqual(serial.events, ['failed 404']);
    assert.equal(serial.toCaller().at(-1)!.status, 404);

    const parallel = bridgeHarness({ targets: [BOB, CAROL] });
    parallel.calleeAnswers(parallel.outbound('bob')[0]!, 180);
    parallel.calleeAnswers(parallel.outbound('carol')[0]!, 603, undefined, 'c1');
    assert.deepEqual(parallel.events, ['failed 603']);
    assert.equal(parallel.toCaller().at(-1)!.status, 603);
    assert.equal(parallel.calleeRequests('CANCEL')[0]!.callId, parallel.outbound('bob')[0]!.callId);
  });

  it('a ring timeout with no next target answers the caller 480, not 487', () => {
    const h = bridgeHarness({ ringTimeout: 5_000 });
    h.calleeAnswers(h.outbound()[0]!, 180);
    h.clock.advance(5_000);
    h.calleeAnswers(h.outbound()[0]!, 487);
    assert.deepEqual(h.events, ['failed 480']);
    assert.equal(h.toCaller().at(-1)!.status, 480);
  });
});

describe('B2buaBridge: provisional responses and offers', () => {
  it('relays a reliable 183 reliably to a caller that supports 100rel, each leg PRACKed on its own', () => {
    const h = bridgeHarness({}, { sdp: OFFER, extra: 'Supported: 100rel\n' });
    const [bob] = h.outbound();
    h.calleeAnswers(bob!, 183, ANSWER, 'b1', { Require: '100rel', RSeq: '7' });
    assert.equal(h.calleeRequests('PRACK')[0]!.get('RAck'), '7 1 INVITE');
    const progress = h.toCaller()[0]!;
    assert.equal(progress.status, 183);
    assert.deepEqual(progress.getAll('Require'), ['100rel']);
    assert.ok(progress.get('RSeq') !== undefined);
    assert.equal(progress.body.toString(), ANSWER);
    h.callerSends({ method: 'PRACK', branch: 'z9hG4bKpr1', cseq: 2, extra: `RAck: ${progress.get('RSeq')} 1 INVITE\n` });
    assert.equal(h.toCaller('PRACK')[0]!.status, 200);
  });

  it('relays an unreliable 180 unreliably to a caller without 100rel', () => {
    const h = bridgeHarness();
    h.calleeAnswers(h.outbound()[0]!, 180, undefined, 'b1', { Require: '100rel', RSeq: '1' });
    assert.equal(h.toCaller()[0]!.get('RSeq'), undefined);
  });

  it('bridges a late offer: the callee offer goes to the caller in the 2xx and its answer to the callee in the ACK', () => {
    const h = bridgeHarness({}, {});
    const [bob] = h.outbound();
    assert.equal(bob!.body.length, 0);
    h.calleeAnswers(bob!, 200, ANSWER);
    assert.equal(h.calleeRequests('ACK').length, 0, "the callee's ACK waits for the caller's answer");
    assert.equal(h.toCaller().at(-1)!.body.toString(), ANSWER);
    h.callerSends({ method: 'ACK', branch: 'z9hG4bKack1' }, OFFER);
    const ack = h.calleeRequests('ACK');
    assert.equal(ack.length, 1);
    assert.equal(ack[0]!.body.toString(), OFFER);
  });
});

describe('B2buaBridge: early dialogs', () => {
  it("relays the caller's UPDATE while ringing to the leg that rang, and the callee's answer back", () => {
    const h = bridgeHarness({ targets: [BOB, CAROL] });
    const [bob] = h.outbound('bob');
    h.calleeAnswers(h.outbound('carol')[0]!, 180, undefined, 'c1');
    h.calleeAnswers(bob!, 183, ANSWER, 'b1');
    h.callerSends({ method: 'UPDATE', branch: 'z9hG4bKup1', cseq: 2 }, RE_OFFER);
    const update = h.calleeRequests('UPDATE');
    assert.equal(update.length, 1);
    assert.equal(update[0]!.callId, bob!.callId, 'the leg whose 183 came last');
    assert.equal(update[0]!.body.toString(), RE_OFFER);
    h.transport.inject(withSdp(answer(update[0]!, 200), RE_ANSWER));
    const ok = h.toCaller('UPDATE');
    assert.deepEqual(
      ok.map((r) => [r.status, r.body.toString()]),
      [[200, RE_ANSWER]],
    );
    assert.equal(h.bridge().state, 'calling');
    // Carol rang first: her leg is paired with nobody now.
    h.calleeSends(h.outbound('carol')[0]!, { method: 'INFO', branch: 'z9hG4bKinfo9', cseq: 4, fromTag: 'c1' });
    assert.equal(h.callerRequests('INFO').length, 0);
    assert.equal(h.transport.responses().find((r) => r.cseq.method === 'INFO')!.status, 480);
  });
});

describe('B2buaBridge: in-dialog relay', () => {
  function connected(options = {}) {
    const h = bridgeHarness(options);
    const [bob] = h.outbound();
    h.calleeAnswers(bob!, 200, ANSWER);
    h.callerSends({ method: 'ACK', branch: 'z9hG4bKack1' });
    return { ...h, leg: bob! };
  }

  it("relays the caller's re-INVITE; the callee's answer is the caller's 2xx", () => {
    const h = connected();
    h.callerSends({ branch: 'z9hG4bKre1', cseq: 2 }, RE_OFFER);
    const reinvite = h.outbound().at(-1)!;
    assert.notEqual(reinvite, h.leg);
    assert.equal(reinvite.to.tag, 'b1');
    assert.equal(reinvite.body.toString(), RE_OFFER);
    assert.equal(h.toCaller().filter((r) => r.cseq.seq === 2).length, 0);
    h.calleeAnswers(reinvite, 200, RE_ANSWER);
    assert.equal(h.calleeRequests('ACK').filter((a) => a.cseq.seq === reinvite.cseq.seq).length, 1);
    const ok = h.toCaller().filter((r) => r.cseq.seq === 2 && r.status >= 200);
    assert.equal(ok.length, 1);
    assert.equal(ok[0]!.status, 200);
    assert.equal(ok[0]!.body.toString(), RE_ANSWER);
  });

  it("relays the callee's UPDATE and INFO to the caller, and their answers back", () => {
    const h = connected();
    h.calleeSends(h.leg, { method: 'UPDATE', branch: 'z9hG4bKup1', cseq: 5 }, RE_ANSWER);
    const update = h.callerRequests('UPDATE')[0]!;
    assert.equal(update.body.toString(), RE_ANSWER);
    h.transport.inject(withSdp(answer(update, 200), RE_OFFER));
    const ok = h.transport.responses().filter((r) => r.callId === h.leg.callId && r.cseq.method === 'UPDATE');
    assert.deepEqual(
      ok.map((r) => [r.status, r.body.toString()]),
      [[200, RE_OFFER]],
    );
    h.calleeSends(h.leg, { method: 'INFO', branch: 'z9hG4bKinfo1', cseq: 6, extra: 'Info-Package: dtmf\n' });
    const info = h.callerRequests('INFO')[0]!;
    assert.equal(info.get('Info-Package'), 'dtmf');
    h.transport.inject(answer(info, 415));
    assert.equal(h.transport.responses().find((r) => r.callId === h.leg.callId && r.cseq.method === 'INFO')!.status, 415);
  });

  it('refuses REFER with 403 unless configured to relay it', () => {
    const refused = connected();
    refused.callerSends({ method: 'REFER', branch: 'z9hG4bKref1', cseq: 2, extra: 'Refer-To: <sip:dave@127.0.0.12>\n' });
    assert.equal(refused.toCaller('REFER')[0]!.status, 403);
    assert.equal(refused.calleeRequests('REFER').length, 0);

    const relayed = connected({ relayRefer: true });
    relayed.callerSends({ method: 'REFER', branch: 'z9hG4bKref1', cseq: 2, extra: 'Refer-To: <sip:dave@127.0.0.12>\n' });
    const refer = relayed.calleeRequests('REFER')[0]!;
    assert.equal(refer.get('Refer-To'), '<sip:dave@127.0.0.12>');
    relayed.transport.inject(answer(refer, 202));
    assert.equal(relayed.toCaller('REFER')[0]!.status, 202);
  });

  it('hangup() sends BYE on both legs', () => {
    const h = connected();
    h.bridge().hangup();
    assert.equal(h.callerRequests('BYE').length, 1);
    assert.equal(h.calleeRequests('BYE').length, 1);
    assert.deepEqual(h.events, ['answered 200', 'ended local bye']);
  });
});

describe('B2buaBridge: what it refuses', () => {
  for (const [targets, code] of [
    [[], ErrorCode.SIP_B2BUA],
    [['sip:['], ErrorCode.SIP_PARSE],
    [['tel:+15551234'], ErrorCode.SIP_PARSE],
  ] as const) {
    it(`throws ${code} for targets ${JSON.stringify(targets)} before sending anything`, () => {
      const h = stackHarness();
      let thrown: unknown;
      h.stack.setRequestHandler((_request, tx) => {
        try {
          new B2buaBridge(h.stack, tx, { targets });
        } catch (err) {
          thrown = err;
        }
        return false;
      });
      h.transport.inject(incoming());
      assert.ok(SleetError.is(thrown, code), String(thrown));
      assert.equal(h.transport.requests('INVITE').length, 0);
    });
  }
});

describe('B2buaBridge: a leg that cannot be placed', () => {
  const BROKEN = 'sip:broken@127.0.0.99';
  /** The harness stack, except that an INVITE to BROKEN cannot be built. */
  function brokenFor(options: { targets: string[]; forking?: 'serial' }) {
    const h = stackHarness();
    const host: B2buaHost = {
      clock: h.stack.clock,
      dialogs: h.stack.dialogs,
      createInvite: (o) => {
        if (o.to === BROKEN) throw new Error('no route to broken');
        return h.stack.createInvite(o);
      },
      invite: (request, o) => h.stack.invite(request, o),
    };
    const events: string[] = [];
    h.stack.setRequestHandler((_request, tx) => {
      const bridge = new B2buaBridge(host, tx, options, (e) => h.errors.push(e));
      bridge.on('failed', (status) => events.push(`failed ${status}`));
      bridge.on('answered', (r) => events.push(`answered ${r.status}`));
      bridge.start();
      return true;
    });
    h.transport.inject(incoming());
    return { ...h, events };
  }

  it('fails alone with 500 to the caller, and the error is reported', () => {
    const h = brokenFor({ targets: [BROKEN] });
    assert.deepEqual(h.events, ['failed 500']);
    assert.equal(h.transport.responses().at(-1)!.status, 500);
    assert.match(String(h.errors[0]), /no route to broken/);
  });

  it('in series, the next target is called', () => {
    const h = brokenFor({ targets: [BROKEN, BOB], forking: 'serial' });
    const invites = h.transport.requests('INVITE').filter((r) => r.callId !== 'c1@127.0.0.2');
    assert.equal(invites.length, 1);
    assert.equal(invites[0]!.uri.toString(), BOB);
    assert.deepEqual(h.events, []);
  });

  it('in parallel, the other legs go on', () => {
    const h = brokenFor({ targets: [BROKEN, BOB] });
    const invite = h.transport.requests('INVITE').find((r) => r.callId !== 'c1@127.0.0.2')!;
    h.transport.inject(answer(invite, 200, 'b1', { Contact: `<${BOB}>` }));
    assert.deepEqual(h.events, ['answered 200']);
  });
});
