import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../../slee/component-model/sbb.decorator.js';
import { Service } from '../../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../../slee/component-model/initial-event.decorator.js';
import { ActivityContextInterfaceFactory } from '../../../slee/activity/activity-context-interface-factory.js';
import type { BridgeAnsweredEvent, BridgeEndedEvent, BridgeFailedEvent, SipRequestEvent } from '../../../resource-adaptors/sip/ra/sip-events.js';
import { freePort, listeningOn, runSipp, sippSkipReason } from '../interop/sipp-runner.js';
import { startSipSlee } from './sip-ra-fixture.js';

/** Where the SBB bridges calls: the SIPp UAS of the running test. */
let callee = '';
const events: string[] = [];

/** A B2BUA service in one handler: every INVITE is bridged to the callee; the bridge's events are recorded. */
@Service({ name: 'Bridging' })
@Sbb()
class BridgingSbb {
  constructor(private readonly acis: ActivityContextInterfaceFactory) {}

  @InitialEvent()
  onInvite({ transaction }: SipRequestEvent) {
    this.acis.getActivityContextInterface(transaction.bridgeTo([callee])).attach();
  }

  onBridgeAnswered(event: BridgeAnsweredEvent) {
    events.push(`answered ${event.response.status}`);
  }

  onBridgeFailed(event: BridgeFailedEvent) {
    events.push(`failed ${event.status}`);
  }

  onBridgeEnded(event: BridgeEndedEvent) {
    events.push(`ended ${event.by} ${event.reason}`);
  }
}

describe('SIPp uac -> Sleet B2BUA (an SBB calling bridgeTo) -> SIPp uas, over loopback UDP', { skip: sippSkipReason() }, () => {
  it('bridges the call, relays the re-INVITE offer and its answer across, and the BYE', async (t) => {
    const port = await freePort();
    const uasPort = await freePort();
    callee = `sip:service@127.0.0.1:${uasPort}`;
    events.length = 0;
    const { slee } = await startSipSlee(t, { port, transports: 'udp' }, BridgingSbb);
    const uas = runSipp({ scenario: { file: 'b2b-uas-reinvite.xml' }, port: uasPort, calls: 2 });
    await listeningOn(uasPort, false);
    const uac = await runSipp({ scenario: { file: 'b2b-uac-reinvite.xml' }, remote: `127.0.0.1:${port}`, port: await freePort(), calls: 2 });
    const uasRun = await uas;
    await slee.idle();
    assert.equal(uac.exitCode, 0, uac.errors);
    assert.equal(uac.successful, 2);
    assert.equal(uasRun.exitCode, 0, uasRun.errors);
    assert.equal(uasRun.successful, 2);
    // SIPp may run the two calls side by side: their events interleave.
    assert.deepEqual(events.sort(), ['answered 200', 'answered 200', 'ended inbound remote-bye', 'ended inbound remote-bye']);
    assert.equal(slee.kernel.entities.size, 0, 'the calls left no entity behind');
  });

  it('a CANCEL before the answer gets the caller 487 and CANCELs the callee', async (t) => {
    const port = await freePort();
    const uasPort = await freePort();
    callee = `sip:service@127.0.0.1:${uasPort}`;
    events.length = 0;
    const { slee } = await startSipSlee(t, { port, transports: 'udp' }, BridgingSbb);
    const uas = runSipp({ scenario: { file: 'uas-ring.xml' }, port: uasPort, calls: 1 });
    await listeningOn(uasPort, false);
    const uac = await runSipp({ scenario: { file: 'uac-cancel.xml' }, remote: `127.0.0.1:${port}`, port: await freePort(), calls: 1 });
    const uasRun = await uas;
    await slee.idle();
    assert.equal(uac.exitCode, 0, uac.errors);
    assert.equal(uac.successful, 1);
    assert.equal(uasRun.exitCode, 0, uasRun.errors);
    assert.equal(uasRun.successful, 1);
    assert.deepEqual(events, ['failed 487']);
    assert.equal(slee.kernel.entities.size, 0);
  });
});
