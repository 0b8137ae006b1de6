import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProfileStore } from '../../profiles/storage/profile-store.js';
import { ProfileProvisioning } from '../../profiles/provisioning/profile-provisioning.js';
import { openTelephonyTables, registrationName, REGISTRATIONS_TABLE } from '../../sbbs/index.js';
import { NO_ANSWER_TABLE, NoAnswerBridgeSbb, NoAnswerRuleProfile } from '../../examples/no-answer-bridge/src/index.js';
import { freePort, listeningOn, runSipp, sippSkipReason } from '../sip/interop/sipp-runner.js';
import { startSipSleeWith } from '../sip/ra/sip-ra-fixture.js';

test(
  'CFNR as a B2BUA: SIPp caller -> Sleet -> Bob rings past the rule, is CANCELled, and Carol answers; a re-INVITE and the BYE cross to Carol',
  { skip: sippSkipReason() },
  async (t) => {
    const store = await ProfileStore.open({ url: ':memory:' });
    t.after(() => store.close());
    await openTelephonyTables(store);
    const provisioning = new ProfileProvisioning(store);
    await provisioning.createTable(NO_ANSWER_TABLE, NoAnswerRuleProfile);
    const port = await freePort();
    const { slee } = await startSipSleeWith(t, { port, transports: 'udp' }, { profiles: store }, NoAnswerBridgeSbb);
    const [bobPort, carolPort] = [await freePort(), await freePort()];
    const bob = 'sip:service@127.0.0.1';
    const contact = `sip:service@127.0.0.1:${bobPort}`;
    await provisioning.createProfile(REGISTRATIONS_TABLE, registrationName(bob, contact), {
      aor: bob,
      contact,
      q: 1,
      expiresAt: Date.now() + 3_600_000,
      callId: 'reg-bob',
      cseq: 1,
      path: [],
    });
    await provisioning.createProfile(NO_ANSWER_TABLE, 'bob', { address: bob, target: `sip:carol@127.0.0.1:${carolPort}`, seconds: 1 });
    const bobPhone = runSipp({ scenario: { file: 'uas-ring.xml' }, port: bobPort, calls: 1 });
    const carolPhone = runSipp({ scenario: { file: 'b2b-uas-reinvite.xml' }, port: carolPort, calls: 1 });
    await listeningOn(bobPort, false);
    await listeningOn(carolPort, false);
    const caller = await runSipp({ scenario: { file: 'b2b-uac-reinvite.xml' }, remote: `127.0.0.1:${port}`, port: await freePort(), calls: 1 });
    const [bobRun, carolRun] = [await bobPhone, await carolPhone];
    await slee.idle();
    for (const [who, run] of [
      ['caller', caller],
      ['bob', bobRun],
      ['carol', carolRun],
    ] as const) {
      assert.equal(run.exitCode, 0, `${who}: ${run.errors}`);
      assert.equal(run.successful, 1, who);
    }
    assert.equal(slee.kernel.entities.size, 0);
  },
);
