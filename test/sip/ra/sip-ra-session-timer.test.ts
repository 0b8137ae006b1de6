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
import { freePort, runSipp, sippSkipReason } from '../interop/sipp-runner.js';
import { startSipSlee } from './sip-ra-fixture.js';

const SDP = 'v=0\r\no=sleet 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n';
const reasons: string[] = [];

@Service({ name: 'SessionTimedUas' })
@Sbb()
class UasSbb {
  constructor(
    @RaLink('sip') private readonly sip: SipProvider,
    private readonly acis: ActivityContextInterfaceFactory,
  ) {}

  @InitialEvent()
  onInvite(event: SipRequestEvent) {
    const dialog = event.transaction!.answer(200, { body: SDP, contentType: 'application/sdp', contact: this.sip.contact() });
    this.acis.getActivityContextInterface(dialog).attach();
  }

  onDialogTerminated(event: DialogTerminatedEvent) {
    reasons.push(event.reason);
  }
}

test(
  'a session SIPp never refreshes ends the SBB dialog activity with DialogTerminated reason session-expired (RFC 4028 §10)',
  { skip: sippSkipReason() },
  async (t) => {
    const port = await freePort();
    const config = { port, transports: 'udp', sessionExpires: 4, sessionMinSE: 4, sessionAllowShortMinSE: true };
    const { slee, close } = await startSipSlee(t, config, UasSbb);
    const run = await runSipp({ scenario: { file: 'uac-timer-silent.xml' }, port: await freePort(), remote: `127.0.0.1:${port}`, calls: 1, keys: { se: '4' } });
    await slee.idle();
    assert.equal(run.exitCode, 0, run.errors);
    assert.equal(run.successful, 1);
    assert.deepEqual(reasons, ['session-expired']);
    await close();
    assert.equal(slee.kernel.entities.size, 0, 'the ended activity left no entity behind');
  },
);
