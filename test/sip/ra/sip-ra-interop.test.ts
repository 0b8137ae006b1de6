import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../../slee/component-model/sbb.decorator.js';
import { Service } from '../../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../../slee/component-model/initial-event.decorator.js';
import { RaLink } from '../../../slee/component-model/ra-link.decorator.js';
import { ActivityContextInterfaceFactory } from '../../../slee/activity/activity-context-interface-factory.js';
import type { SipProvider } from '../../../resource-adaptors/sip/ra/sip-provider.js';
import type { SipRequestEvent, DialogTerminatedEvent } from '../../../resource-adaptors/sip/ra/sip-events.js';
import { freePort, listeningOn, runSipp, sippSkipReason } from '../interop/sipp-runner.js';
import { startSipSlee } from './sip-ra-fixture.js';

const SDP = 'v=0\r\no=sleet 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n';
const counts = { invite: 0, ack: 0, bye: 0, terminated: 0 };

@Service({ name: 'EchoUas' })
@Sbb()
class UasSbb {
  constructor(
    @RaLink('sip') private readonly sip: SipProvider,
    private readonly acis: ActivityContextInterfaceFactory,
  ) {}

  @InitialEvent()
  onInvite(event: SipRequestEvent) {
    counts.invite++;
    const dialog = event.transaction!.answer(200, { body: SDP, contentType: 'application/sdp', contact: this.sip.contact() });
    this.acis.getActivityContextInterface(dialog).attach();
  }

  onDialogAck() {
    counts.ack++;
  }

  onDialogBye() {
    counts.bye++;
  }

  onDialogTerminated(_event: DialogTerminatedEvent) {
    counts.terminated++;
  }
}

for (const transport of ['udp', 'tcp'] as const) {
  test(`SIPp uac places calls to a Sleet UAS SBB over ${transport.toUpperCase()}: INVITE/200/ACK/BYE`, { skip: sippSkipReason() }, async (t) => {
    Object.assign(counts, { invite: 0, ack: 0, bye: 0, terminated: 0 });
    const port = await freePort();
    const sipp = await freePort();
    const { slee, close } = await startSipSlee(t, { port, transports: 'udp,tcp' }, UasSbb);
    const run = await runSipp({ scenario: { builtin: 'uac' }, port: sipp, remote: `127.0.0.1:${port}`, calls: 10, tcp: transport === 'tcp' });
    await slee.idle();
    assert.equal(run.exitCode, 0, run.errors);
    assert.equal(run.successful, 10);
    assert.deepEqual(counts, { invite: 10, ack: 10, bye: 10, terminated: 10 });
    await close();
    assert.equal(slee.kernel.entities.size, 0, 'every call left no entity behind');
  });
}

let calleePort = 0;
let calleeTransport = '';

@Service({ name: 'FixedRouteProxy' })
@Sbb()
class ProxySbb {
  @InitialEvent()
  onInvite(event: SipRequestEvent) {
    event.transaction!.proxyTo([`sip:service@127.0.0.1:${calleePort}${calleeTransport}`]);
  }
}

for (const transport of ['udp', 'tcp'] as const) {
  test(
    `SIPp uac → Sleet proxy SBB (record-routing) → SIPp uas over ${transport.toUpperCase()}, ACK and BYE routed back through Sleet`,
    { skip: sippSkipReason() },
    async (t) => {
      const port = await freePort();
      calleePort = await freePort();
      calleeTransport = transport === 'tcp' ? ';transport=tcp' : '';
      const callerPort = await freePort();
      const { ra, close } = await startSipSlee(t, { port, transports: 'udp,tcp' }, ProxySbb);
      const callee = runSipp({ scenario: { file: 'uas-rr.xml' }, port: calleePort, calls: 5, tcp: transport === 'tcp' });
      await listeningOn(calleePort, transport === 'tcp');
      const caller = await runSipp({ scenario: { file: 'uac-rr.xml' }, port: callerPort, remote: `127.0.0.1:${port}`, calls: 5, tcp: transport === 'tcp' });
      const answered = await callee;
      assert.equal(caller.exitCode, 0, caller.errors);
      assert.equal(answered.exitCode, 0, answered.errors);
      assert.equal(caller.successful, 5);
      assert.ok(ra.stack.transactions.stats, 'stack is live');
      await close();
    },
  );
}

const cancelled: string[] = [];

@Service({ name: 'RingingUas' })
@Sbb()
class RingingSbb {
  @InitialEvent()
  onInvite(event: SipRequestEvent) {
    event.transaction!.respond(180);
  }

  onCancel(event: SipRequestEvent) {
    cancelled.push(`${event.request.method}:${event.transaction!.isCancelled}`);
  }
}

test('a CANCEL from SIPp while a Sleet SBB rings: 200 for the CANCEL, 487 for the INVITE, and the SBB is told', { skip: sippSkipReason() }, async (t) => {
  cancelled.length = 0;
  const port = await freePort();
  const { slee, close } = await startSipSlee(t, { port, transports: 'udp' }, RingingSbb);
  const run = await runSipp({ scenario: { file: 'uac-cancel.xml' }, port: await freePort(), remote: `127.0.0.1:${port}`, calls: 3 });
  await slee.idle();
  assert.equal(run.exitCode, 0, run.errors);
  assert.equal(run.successful, 3);
  assert.deepEqual(cancelled, ['CANCEL:true', 'CANCEL:true', 'CANCEL:true']);
  await close();
});

let forkTargets: string[] = [];
const forkFinals: number[] = [];

@Service({ name: 'ForkingProxy' })
@Sbb()
class ForkingProxySbb {
  @InitialEvent()
  onInvite(event: SipRequestEvent) {
    event.transaction!.proxyTo(forkTargets, { holdFinalResponse: false, branchEvents: true });
  }

  onProxyBranchResponse(event: { response: { status: number } }) {
    if (event.response.status >= 200) forkFinals.push(event.response.status);
  }
}

test('a forked call through a Sleet proxy SBB: the first 200 wins and the ringing branch is cancelled', { skip: sippSkipReason() }, async (t) => {
  forkFinals.length = 0;
  const port = await freePort();
  const answerPort = await freePort();
  const ringPort = await freePort();
  forkTargets = [`sip:service@127.0.0.1:${answerPort}`, `sip:service@127.0.0.1:${ringPort}`];
  const { slee, close } = await startSipSlee(t, { port, transports: 'udp' }, ForkingProxySbb);
  const ringer = runSipp({ scenario: { file: 'uas-ring.xml' }, port: ringPort, calls: 1 });
  const answerer = runSipp({ scenario: { file: 'uas-rr.xml' }, port: answerPort, calls: 1 });
  await new Promise((r) => setTimeout(r, 300));
  const caller = await runSipp({ scenario: { file: 'uac-rr.xml' }, port: await freePort(), remote: `127.0.0.1:${port}`, calls: 1 });
  assert.equal(caller.exitCode, 0, caller.errors);
  assert.equal((await answerer).exitCode, 0);
  const rang = await ringer;
  assert.equal(rang.exitCode, 0, `the ringing branch saw its CANCEL: ${rang.errors}`);
  await slee.idle();
  assert.deepEqual(forkFinals, [200], 'the 200 won; the cancelled branch ended after the final response went upstream');
  await close();
});
