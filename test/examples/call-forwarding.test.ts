import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ProfileStore } from '../../profiles/storage/profile-store.js';
import { ProfileProvisioning } from '../../profiles/provisioning/profile-provisioning.js';
import { SipRequest } from '../../resource-adaptors/sip/message/sip-request.js';
import { LocationProxySbb, openTelephonyTables, registrationName, REGISTRATIONS_TABLE, SUBSCRIBERS_TABLE } from '../../sbbs/index.js';
import { CallForwardingSbb, DiversionChain, FORWARDING_TABLE, ForwardingRuleProfile, MAX_DIVERSIONS } from '../../examples/call-forwarding/src/index.js';
import { BLOCKLIST_TABLE, BlocklistEntryProfile, CallScreeningSbb } from '../../examples/call-screening/src/index.js';
import { freePort, runSipp, sippSkipReason } from '../sip/interop/sipp-runner.js';
import { startSipSleeWith } from '../sip/ra/sip-ra-fixture.js';

const DOMAIN = 'example.com';
const BOB = `sip:bob@${DOMAIN}`;
const CAROL = `sip:carol@${DOMAIN}`;

type ServiceRoot = new (...args: never[]) => object;

/** A domain with the forwarding service (and any others), the `forwarding` table and helpers to register SIPp phones and place calls. */
async function forwardingDomain(t: TestContext, ...services: ServiceRoot[]) {
  const store = await ProfileStore.open({ url: ':memory:' });
  t.after(() => store.close());
  await openTelephonyTables(store);
  const provisioning = new ProfileProvisioning(store);
  await provisioning.createTable(FORWARDING_TABLE, ForwardingRuleProfile);
  const port = await freePort();
  const { slee } = await startSipSleeWith(t, { port, transports: 'udp', domains: DOMAIN }, { profiles: store }, ...services);
  /** Registers a phone for `aor` and starts SIPp on its contact with a callee scenario. */
  const phone = async (aor: string, scenario: string) => {
    const phonePort = await freePort();
    const contact = `sip:${aor.slice(4, aor.indexOf('@'))}@127.0.0.1:${phonePort}`;
    await provisioning.createProfile(REGISTRATIONS_TABLE, registrationName(aor, contact), {
      aor,
      contact,
      q: 1,
      expiresAt: Date.now() + 3_600_000,
      callId: `reg-${phonePort}`,
      cseq: 1,
      path: [],
    });
    return runSipp({ scenario: { file: scenario }, port: phonePort, calls: 1 });
  };
  const call = async (scenario: string, keys: Record<string, string> = {}) => {
    await new Promise((r) => setTimeout(r, 300));
    const run = await runSipp({
      scenario: { file: scenario },
      port: await freePort(),
      remote: `127.0.0.1:${port}`,
      calls: 1,
      service: 'bob',
      keys: { domain: DOMAIN, from: '<sip:alice@example.com>', ...keys },
    });
    await slee.idle();
    return run;
  };
  return { provisioning, phone, call };
}

const ok = (run: { exitCode: number | null; errors: string }, who: string) => assert.equal(run.exitCode, 0, `${who}: ${run.errors}`);

test('CFU: a call to bob goes straight to carol, with a Diversion header naming bob', { skip: sippSkipReason() }, async (t) => {
  const { provisioning, phone, call } = await forwardingDomain(t, CallForwardingSbb);
  await provisioning.createProfile(FORWARDING_TABLE, 'bob', { address: BOB, unconditional: CAROL });
  const carol = phone(CAROL, 'fwd-uas-diverted.xml');
  ok(await call('fwd-uac.xml'), 'caller');
  ok(await carol, 'carol');
});

test('CFB: bob answers 486, the call is forwarded to carol who answers', { skip: sippSkipReason() }, async (t) => {
  const { provisioning, phone, call } = await forwardingDomain(t, CallForwardingSbb);
  await provisioning.createProfile(FORWARDING_TABLE, 'bob', { address: BOB, busy: CAROL });
  const bob = phone(BOB, 'fwd-uas-busy.xml');
  const carol = phone(CAROL, 'fwd-uas-diverted.xml');
  ok(await call('fwd-uac.xml'), 'caller');
  ok(await bob, 'busy bob');
  ok(await carol, 'carol');
});

test('CFNR: bob rings past his 1 s no-answer time, his branch is CANCELled and carol answers', { skip: sippSkipReason() }, async (t) => {
  const { provisioning, phone, call } = await forwardingDomain(t, CallForwardingSbb);
  await provisioning.createProfile(FORWARDING_TABLE, 'bob', { address: BOB, noAnswer: CAROL, noAnswerSeconds: 1 });
  const bob = phone(BOB, 'uas-ring.xml');
  const carol = phone(CAROL, 'fwd-uas-diverted.xml');
  ok(await call('fwd-uac.xml'), 'caller');
  ok(await bob, 'ringing bob saw the CANCEL');
  ok(await carol, 'carol');
});

test('CFNRc: bob is not registered, the call goes to his unreachable target carol', { skip: sippSkipReason() }, async (t) => {
  const { provisioning, phone, call } = await forwardingDomain(t, CallForwardingSbb);
  await provisioning.createProfile(FORWARDING_TABLE, 'bob', { address: BOB, unreachable: CAROL });
  const carol = phone(CAROL, 'fwd-uas-diverted.xml');
  ok(await call('fwd-uac.xml'), 'caller');
  ok(await carol, 'carol');
});

test('CFNRc: bob answers 480, the call is forwarded to his unreachable target carol', { skip: sippSkipReason() }, async (t) => {
  const { provisioning, phone, call } = await forwardingDomain(t, CallForwardingSbb);
  await provisioning.createProfile(FORWARDING_TABLE, 'bob', { address: BOB, unreachable: CAROL, busy: 'sip:voicemail@127.0.0.1:9' });
  const bob = phone(BOB, 'fwd-uas-unavailable.xml');
  const carol = phone(CAROL, 'fwd-uas-diverted.xml');
  ok(await call('fwd-uac.xml'), 'caller');
  ok(await bob, 'unavailable bob');
  ok(await carol, 'carol');
});

test('a callee without forwarding rules is left to the location proxy', { skip: sippSkipReason() }, async (t) => {
  const { provisioning, phone, call } = await forwardingDomain(t, CallForwardingSbb, LocationProxySbb);
  await provisioning.createProfile(SUBSCRIBERS_TABLE, 'bob', { address: BOB, username: 'bob', password: 'secret' });
  await provisioning.createProfile(FORWARDING_TABLE, 'carol', { address: CAROL, unconditional: 'sip:dave@example.com' });
  const bob = phone(BOB, 'uas-rr.xml');
  ok(await call('fwd-uac.xml'), 'caller');
  ok(await bob, 'bob');
});

test('forwarding refuses (482) a forward back into the Diversion chain and one past the hop limit', { skip: sippSkipReason() }, async (t) => {
  const { provisioning, call } = await forwardingDomain(t, CallForwardingSbb);
  await provisioning.createProfile(FORWARDING_TABLE, 'bob', { address: BOB, unconditional: CAROL });
  ok(await call('fwd-uac-diverted.xml', { diversion: `<${CAROL}>;reason=unconditional;counter=1` }), 'carol forwarded to bob, bob back to carol');
  ok(await call('fwd-uac-diverted.xml', { diversion: `<sip:dave@${DOMAIN}>;reason=no-answer;counter=${MAX_DIVERSIONS}` }), 'hop limit');
});

test('screening and forwarding composed: a blocked caller to a subscriber with CFU is declined, not forwarded', { skip: sippSkipReason() }, async (t) => {
  const { provisioning, call } = await forwardingDomain(t, CallScreeningSbb, CallForwardingSbb);
  await provisioning.createTable(BLOCKLIST_TABLE, BlocklistEntryProfile);
  await provisioning.createProfile(BLOCKLIST_TABLE, 'bob-mallory', { subscriber: BOB, pattern: 'sip:mallory@evil.example' });
  // Carol has no phone: had forwarding proxied the call, SIPp would see no 603 and fail.
  await provisioning.createProfile(FORWARDING_TABLE, 'bob', { address: BOB, unconditional: CAROL });
  ok(await call('scr-uac-declined.xml', { from: '<sip:mallory@evil.example>' }), 'mallory');
});

test('a Diversion chain counts counters over every header and knows the diverting addresses', () => {
  const request = new SipRequest('INVITE', BOB);
  request.add('Diversion', '<sip:carol@Example.com>;reason=user-busy;counter=2, "Dave" <sip:dave@example.com;user=phone>;reason=no-answer');
  request.add('Diversion', '<sip:erin@example.com>;reason=unconditional');
  const chain = DiversionChain.of(request);
  assert.equal(chain.count, 4);
  assert.deepEqual([...chain.addresses], [CAROL, 'sip:dave@example.com', 'sip:erin@example.com']);
  assert.equal(chain.refusal(BOB, 'sip:dave@example.com'), 'loop');
  assert.equal(chain.refusal(BOB, BOB), 'loop');
  assert.equal(chain.refusal(BOB, 'sip:frank@example.com'), undefined);
  request.add('Diversion', '<sip:gina@example.com>;counter=1');
  assert.equal(DiversionChain.of(request).refusal(BOB, 'sip:frank@example.com'), 'limit');
});

test('a forward back into the chain is a loop however its target is spelled', () => {
  const request = new SipRequest('INVITE', BOB);
  request.add('Diversion', '<sip:dave@example.com>;reason=user-busy, <tel:+1-212-555-0101>;reason=no-answer');
  const chain = DiversionChain.of(request);
  assert.equal(chain.refusal(BOB, 'sip:dave@Example.COM:5060;transport=udp'), 'loop');
  assert.equal(chain.refusal(BOB, 'tel:+12125550101'), 'loop');
  assert.equal(chain.refusal(BOB, 'sip:bob@EXAMPLE.com'), 'loop');
  assert.equal(chain.refusal(BOB, 'sip:Dave@example.com'), undefined);
  assert.equal(chain.refusal(BOB, 'not a uri'), undefined);
});
