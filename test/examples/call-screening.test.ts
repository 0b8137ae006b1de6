import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { ProfileStore } from '../../profiles/storage/profile-store.js';
import { ProfileProvisioning } from '../../profiles/provisioning/profile-provisioning.js';
import { SipRequest } from '../../resource-adaptors/sip/message/sip-request.js';
import type { SipRequestEvent } from '../../resource-adaptors/sip/ra/sip-events.js';
import { BLOCKLIST_TABLE, BlocklistEntryProfile, CallScreeningSbb, callerIdentity } from '../../examples/call-screening/src/index.js';
import { freePort, runSipp, sippSkipReason } from '../sip/interop/sipp-runner.js';
import { startSipSleeWith } from '../sip/ra/sip-ra-fixture.js';

const DOMAIN = 'example.com';
const passedScreening: string[] = [];

/** Stands in for the services below screening: records who got through, then declines. */
@Service({ name: 'BelowScreening', priority: 10 })
@Sbb()
class BelowScreeningSbb {
  @InitialEvent()
  onInvite(event: SipRequestEvent) {
    if (event.transaction === null || event.transaction.isAnswered) return;
    passedScreening.push(event.request.from.uri.toString());
    event.transaction.respond(603);
  }
}

async function screeningDomain(t: TestContext) {
  passedScreening.length = 0;
  const store = await ProfileStore.open({ url: ':memory:' });
  t.after(() => store.close());
  const provisioning = new ProfileProvisioning(store);
  await provisioning.createTable(BLOCKLIST_TABLE, BlocklistEntryProfile);
  const bob = `sip:bob@${DOMAIN}`;
  await provisioning.createProfile(BLOCKLIST_TABLE, 'bob-mallory', { subscriber: bob, match: 'address', pattern: 'sip:mallory@evil.example' });
  await provisioning.createProfile(BLOCKLIST_TABLE, 'bob-spammer', { subscriber: bob, match: 'address', pattern: 'sip:spammer@junk.example', status: 403 });
  await provisioning.createProfile(BLOCKLIST_TABLE, 'bob-sales', {
    subscriber: bob,
    match: 'address',
    pattern: 'sip:sales@telemarketing.example',
    action: 'redirect',
    announcement: 'sip:announcement@media.example.com',
  });
  await provisioning.createProfile(BLOCKLIST_TABLE, 'bob-anonymous', { subscriber: bob, match: 'anonymous' });
  await provisioning.createProfile(BLOCKLIST_TABLE, 'bob-london', { subscriber: bob, match: 'prefix', pattern: '+4420' });
  // A longer prefix with its own action wins over the shorter one.
  await provisioning.createProfile(BLOCKLIST_TABLE, 'bob-london-office', { subscriber: bob, match: 'prefix', pattern: 'sip:+44207946', status: 403 });
  const port = await freePort();
  const { slee } = await startSipSleeWith(t, { port, transports: 'udp', domains: DOMAIN }, { profiles: store }, CallScreeningSbb, BelowScreeningSbb);
  const call = async (scenario: string, from: string, callee = 'bob') => {
    const run = await runSipp({
      scenario: { file: scenario },
      port: await freePort(),
      remote: `127.0.0.1:${port}`,
      calls: 1,
      service: callee,
      keys: { from, domain: DOMAIN },
    });
    await slee.idle();
    assert.equal(run.exitCode, 0, `${scenario} from ${from}: ${run.errors}`);
    assert.equal(run.successful, 1);
  };
  return { call, provisioning };
}

test(
  'call screening answers a blocked caller 603, an entry with action 403 gets 403, a redirect entry 302 to the announcement',
  { skip: sippSkipReason() },
  async (t) => {
    const { call } = await screeningDomain(t);
    await call('scr-uac-declined.xml', '<sip:mallory@evil.example>');
    await call('scr-uac-forbidden.xml', '"Spam" <sip:spammer@junk.example>');
    await call('scr-uac-redirected.xml', '<sip:sales@telemarketing.example>');
    assert.deepEqual(passedScreening, [], 'no blocked call reached the services below screening');
  },
);

test('call screening blocks anonymous callers by an "anonymous" entry and callers by the longest matching prefix', { skip: sippSkipReason() }, async (t) => {
  const { call } = await screeningDomain(t);
  await call('scr-uac-declined.xml', '"Anonymous" <sip:anonymous@anonymous.invalid>');
  await call('scr-uac-declined.xml', '<sip:+442071234567@carrier.example>');
  await call('scr-uac-forbidden.xml', '<sip:+442079460000@carrier.example>');
  assert.deepEqual(passedScreening, []);
});

test(
  'call screening lets other callers, and callers blocked only by another subscriber, through to the next service',
  { skip: sippSkipReason() },
  async (t) => {
    const { call, provisioning } = await screeningDomain(t);
    await call('scr-uac-declined.xml', '<sip:alice@example.com>');
    await call('scr-uac-declined.xml', '<sip:+4413112345@carrier.example>');
    await call('scr-uac-declined.xml', '<sip:mallory@evil.example>', 'carol');
    assert.deepEqual(passedScreening, ['sip:alice@example.com', 'sip:+4413112345@carrier.example', 'sip:mallory@evil.example']);
    // Removing the entry (as the CLI or REST would) unblocks the caller at once.
    await provisioning.removeProfile(BLOCKLIST_TABLE, 'bob-mallory');
    await call('scr-uac-declined.xml', '<sip:mallory@evil.example>');
    assert.equal(passedScreening.length, 4);
  },
);

/** Who screening sees calling with this From value (and Privacy, if any). */
function callerOf(from: string, privacy?: string) {
  const request = new SipRequest('INVITE', 'sip:bob@example.com');
  request.set('From', `${from};tag=1`);
  if (privacy !== undefined) request.set('Privacy', privacy);
  return callerIdentity(request);
}

test('a caller is anonymous by From anonymous.invalid, display name Anonymous, or Privacy: id', () => {
  assert.equal(callerOf('<sip:anonymous@anonymous.invalid>').anonymous, true);
  assert.equal(callerOf('"Anonymous" <sip:x@carrier.example>').anonymous, true);
  assert.equal(callerOf('<sip:alice@example.com>', 'id').anonymous, true);
  assert.equal(callerOf('<sip:alice@example.com>', 'none').anonymous, false);
  assert.deepEqual(callerOf('<sip:+442071234567@Carrier.example;user=phone>'), {
    address: 'sip:+442071234567@carrier.example',
    prefixCandidates: ['sip:+442071234567@carrier.example', '+442071234567', '442071234567'],
    anonymous: false,
  });
});

test('a tel: caller is screened by its number however it is punctuated (RFC 3966 visual separators)', () => {
  assert.deepEqual(callerOf('<tel:+1-212-555-0101;isub=7>'), {
    address: 'tel:+12125550101',
    prefixCandidates: ['tel:+12125550101', '+12125550101', '12125550101'],
    anonymous: false,
  });
});

test("a user=phone caller's number is matched by prefix without its visual separators", () => {
  assert.deepEqual(callerOf('<sip:+44-20-7123-4567@Carrier.example;user=phone>').prefixCandidates, [
    'sip:+44-20-7123-4567@carrier.example',
    '+442071234567',
    '442071234567',
  ]);
});
