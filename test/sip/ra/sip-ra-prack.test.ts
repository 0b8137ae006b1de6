import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../../slee/component-model/sbb.decorator.js';
import { Service } from '../../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../../slee/component-model/initial-event.decorator.js';
import { SbbContext } from '../../../slee/entity/sbb-context.js';
import { ActivityContextInterfaceFactory } from '../../../slee/activity/activity-context-interface-factory.js';
import { ServerTransactionActivity } from '../../../resource-adaptors/sip/ra/server-transaction-activity.js';
import type { DialogRequestEvent, SipRequestEvent } from '../../../resource-adaptors/sip/ra/sip-events.js';
import { freePort, runSipp, sippSkipReason } from '../interop/sipp-runner.js';
import { startSipSlee } from './sip-ra-fixture.js';

const SDP = 'v=0\r\no=sleet 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n';
const pracks: Array<{ rack: string | undefined; answered: boolean }> = [];

/** Early media the RFC 3262 way: a reliable 183 with SDP, and the 200 only once the caller has PRACKed it. */
@Service({ name: 'EarlyMediaUas' })
@Sbb()
class EarlyMediaSbb {
  constructor(
    private readonly ctx: SbbContext,
    private readonly acis: ActivityContextInterfaceFactory,
  ) {}

  @InitialEvent()
  onInvite(event: SipRequestEvent) {
    const dialog = event.transaction.answer(183, { reliable: true, body: SDP, contentType: 'application/sdp' });
    this.acis.getActivityContextInterface(dialog).attach();
  }

  onDialogPrack(event: DialogRequestEvent) {
    pracks.push({ rack: event.request.get('RAck'), answered: event.transaction.isAnswered });
    const invite = this.ctx.getActivities().find((aci) => aci.activity instanceof ServerTransactionActivity);
    (invite!.activity as ServerTransactionActivity).respond(200, { body: SDP, contentType: 'application/sdp' });
  }
}

test(
  'an SBB sends a reliable 183, gets the PRACK as sip.dialog.PRACK (already answered 200 by the stack) and only then answers the INVITE',
  { skip: sippSkipReason() },
  async (t) => {
    const port = await freePort();
    const { slee } = await startSipSlee(t, { port, transports: 'udp' }, EarlyMediaSbb);
    const run = await runSipp({ scenario: { file: 'uac-100rel.xml' }, port: await freePort(), remote: `127.0.0.1:${port}`, calls: 2 });
    await slee.idle();
    assert.equal(run.exitCode, 0, run.errors);
    assert.equal(run.successful, 2);
    assert.equal(pracks.length, 2);
    assert.ok(
      pracks.every((p) => p.answered && /^\d+ 1 INVITE$/.test(p.rack ?? '')),
      JSON.stringify(pracks),
    );
    assert.equal(slee.kernel.entities.size, 0, 'the calls left no entity behind');
  },
);
