import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGISTRATIONS_TABLE } from '../../sbbs/location/registration-profile.js';
import { LocationService } from '../../sbbs/location/location-service.js';
import { ProfileFacility } from '../../profiles/facility/profile-facility.js';
import { sweepExpiredRegistrations } from '../../sbbs/location/registration-sweeper.js';
import { registrationName } from '../../sbbs/location/registration-name.js';
import { configureDigestAuth } from '../../sbbs/digest-auth/digest-auth-settings.js';
import { UdpSipClient } from './udp-sip-client.js';
import { DOMAIN, USERS, openSubscriberStore, startTelephonySlee } from './telephony-fixture.js';

const alice = { user: 'alice', domain: DOMAIN, password: USERS.alice };

async function client(t: { after(fn: () => unknown): void }, port: number) {
  const c = await UdpSipClient.open(port);
  t.after(() => c.close());
  return c;
}

function contactsOf(response: { getAll(name: string): string[] }): string[] {
  return response
    .getAll('Contact')
    .flatMap((v) => v.split(/,(?=\s*<)/))
    .map((c) => c.trim())
    .sort();
}

test('REGISTER is challenged (SHA-256 then MD5), accepted with either algorithm, and refused with a wrong password', async (t) => {
  const store = await openSubscriberStore(t);
  const { port } = await startTelephonySlee(t, store);
  const ua = await client(t, port);
  const challenge = await ua.register({ ...alice, password: undefined as never, contacts: ['<sip:alice@127.0.0.1:5071>'] });
  assert.equal(challenge.status, 401);
  assert.deepEqual(
    challenge.getAll('WWW-Authenticate').map((c) => /algorithm=([\w-]+)/.exec(c)?.[1]),
    ['SHA-256', 'MD5'],
  );
  assert.match(challenge.get('WWW-Authenticate')!, /realm="sleet.test".*qop="auth"/);
  const sha = await ua.register({ ...alice, contacts: ['<sip:alice@127.0.0.1:5071>'] });
  assert.equal(sha.status, 200);
  assert.deepEqual(contactsOf(sha), ['<sip:alice@127.0.0.1:5071>;expires=3600;q=1.0']);
  const md5 = await ua.register({ ...alice, algorithm: 'MD5', contacts: ['<sip:alice@127.0.0.1:5072>'], expires: 600 });
  assert.equal(md5.status, 200);
  assert.equal(contactsOf(md5).length, 2);
  const wrong = await ua.register({ ...alice, password: 'guess', contacts: ['<sip:alice@127.0.0.1:5073>'] });
  assert.equal(wrong.status, 401, 'a wrong password is challenged again');
  const bindings = await new LocationService(new ProfileFacility(store, () => undefined)).lookup(`sip:alice@${DOMAIN}`);
  assert.deepEqual(bindings.map((b) => b.contact).sort(), ['sip:alice@127.0.0.1:5071', 'sip:alice@127.0.0.1:5072']);
});

test('registrar refusals: foreign domain 403, unknown user 401 then (from a trusted source) 404, registering someone else 403', async (t) => {
  const store = await openSubscriberStore(t);
  const { port } = await startTelephonySlee(t, store);
  const ua = await client(t, port);
  assert.equal((await ua.register({ user: 'alice', domain: 'elsewhere.example', contacts: ['<sip:a@127.0.0.1:5071>'] })).status, 403);
  assert.equal(
    (await ua.register({ user: 'zoe', domain: DOMAIN, password: 'x', contacts: ['<sip:zoe@127.0.0.1:5071>'] })).status,
    401,
    'an unknown user cannot authenticate',
  );
  const thirdParty = await ua.register({ ...alice, authUser: 'bob', password: USERS.bob, contacts: ['<sip:bob@127.0.0.1:5071>'] });
  assert.equal(thirdParty.status, 403, "bob's valid credentials do not let him register alice");
  configureDigestAuth({ trusted: ['127.0.0.0/8'] });
  t.after(() => configureDigestAuth({}));
  assert.equal((await ua.register({ user: 'zoe', domain: DOMAIN, contacts: ['<sip:zoe@127.0.0.1:5071>'] })).status, 404);
  assert.equal(
    (await ua.register({ user: 'carol', domain: DOMAIN, contacts: ['<sip:carol@127.0.0.1:5071>'] })).status,
    200,
    'a trusted source is not challenged',
  );
});

test('several contacts with q-values and per-contact expiry, 423 with Min-Expires, Contact: * with Expires: 0', async (t) => {
  const store = await openSubscriberStore(t);
  const { port } = await startTelephonySlee(t, store);
  const ua = await client(t, port);
  const both = await ua.register({
    ...alice,
    expires: 1800,
    contacts: ['<sip:alice@127.0.0.1:5071>;q=0.5', '<sip:alice@127.0.0.1:5072>;q=0.9;expires=120, <sip:alice@127.0.0.1:5073>;expires=99999'],
  });
  assert.equal(both.status, 200);
  assert.deepEqual(contactsOf(both), [
    '<sip:alice@127.0.0.1:5071>;expires=1800;q=0.5',
    '<sip:alice@127.0.0.1:5072>;expires=120;q=0.9',
    '<sip:alice@127.0.0.1:5073>;expires=7200;q=1.0',
  ]);
  const facility = new ProfileFacility(store, () => undefined);
  assert.deepEqual(
    (await new LocationService(facility).lookup(`sip:alice@${DOMAIN}`)).map((b) => b.q),
    [1, 0.9, 0.5],
    'lookup orders by q',
  );
  const brief = await ua.register({ ...alice, expires: 30, contacts: ['<sip:alice@127.0.0.1:5074>'] });
  assert.equal(brief.status, 423);
  assert.equal(brief.get('Min-Expires'), '60');
  const removeOne = await ua.register({ ...alice, contacts: ['<sip:alice@127.0.0.1:5071>;expires=0'] });
  assert.equal(contactsOf(removeOne).length, 2);
  assert.equal((await ua.register({ ...alice, expires: 60, contacts: ['*'] })).status, 400, '* with non-zero Expires');
  assert.equal((await ua.register({ ...alice, expires: 0, contacts: ['*', '<sip:alice@127.0.0.1:5075>'] })).status, 400, '* with another contact');
  const all = await ua.register({ ...alice, expires: 0, contacts: ['*'] });
  assert.equal(all.status, 200);
  assert.deepEqual(all.getAll('Contact'), []);
  assert.equal(await store.countProfiles(REGISTRATIONS_TABLE), 0);
});

test('CSeq ordering: the same Call-ID with a lower or equal CSeq is refused, another Call-ID replaces the binding', async (t) => {
  const store = await openSubscriberStore(t);
  const { port } = await startTelephonySlee(t, store);
  const ua = await client(t, port);
  const contacts = ['<sip:alice@127.0.0.1:5071>'];
  assert.equal((await ua.register({ ...alice, contacts }, 10)).status, 200);
  const replay = await ua.register({ ...alice, contacts, expires: 300 }, 5);
  assert.equal(replay.status, 500, 'an older REGISTER of the same Call-ID must not win');
  const other = await ua.register({ ...alice, contacts, expires: 300, callId: 'another-call-id' }, 1);
  assert.equal(other.status, 200);
  assert.deepEqual(contactsOf(other), ['<sip:alice@127.0.0.1:5071>;expires=300;q=1.0']);
  const stored = await store.getProfile(REGISTRATIONS_TABLE, registrationName(`sip:alice@${DOMAIN}`, 'sip:alice@127.0.0.1:5071'));
  assert.equal(stored?.values.callId, 'another-call-id');
});

test('bindings survive a restart on the same SQLite file, and expired ones are ignored then swept', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'sleet-reg-')), 'profiles.sqlite');
  const first = await openSubscriberStore(t, file);
  const node = await startTelephonySlee(t, first);
  const ua = await client(t, node.port);
  assert.equal((await ua.register({ ...alice, contacts: ['<sip:alice@127.0.0.1:5071>'] })).status, 200);
  await node.close();
  await first.close();

  const second = await openSubscriberStore(t, file);
  const facility = new ProfileFacility(second, () => undefined);
  const restarted = await startTelephonySlee(t, second);
  const bindings = await new LocationService(facility).lookup(`sip:alice@${DOMAIN}`);
  assert.deepEqual(
    bindings.map((b) => b.contact),
    ['sip:alice@127.0.0.1:5071'],
  );
  const later = bindings[0]!.expiresAt + 1;
  assert.deepEqual(await new LocationService(facility).lookup(`sip:alice@${DOMAIN}`, later), [], 'an expired binding is not returned');
  assert.equal(await sweepExpiredRegistrations(second, Date.now()), 0);
  assert.equal(await sweepExpiredRegistrations(second, later), 1);
  assert.equal(await second.countProfiles(REGISTRATIONS_TABLE), 0);
  await restarted.close();
});
