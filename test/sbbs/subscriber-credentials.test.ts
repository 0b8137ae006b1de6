import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProfileStore } from '../../profiles/storage/profile-store.js';
import { ProfileProvisioning } from '../../profiles/provisioning/profile-provisioning.js';
import { openTelephonyTables } from '../../sbbs/open-telephony-tables.js';
import { SUBSCRIBERS_TABLE } from '../../sbbs/subscribers/subscriber-profile.js';
import { configureDigestAuth } from '../../sbbs/digest-auth/digest-auth-settings.js';
import { digestHa1 } from '../../sbbs/digest-auth/digest-response.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

async function store(t: { after(fn: () => unknown): void }) {
  const s = await ProfileStore.open({ url: ':memory:' });
  t.after(() => s.close());
  await openTelephonyTables(s);
  return s;
}

const refused = (attribute: string) => (err: unknown) =>
  SleetError.is(err, ErrorCode.PROFILE_VALIDATION) && (err.details as { attribute: string }).attribute === attribute;

test('a subscriber needs a password or its hashes; hashes alone (an export re-imported) are kept as given', async (t) => {
  const s = await store(t);
  await assert.rejects(s.createProfile(SUBSCRIBERS_TABLE, 'a', { address: 'sip:a@x.test', username: 'a' }), refused('password'));
  await assert.rejects(s.createProfile(SUBSCRIBERS_TABLE, 'a', { address: 'sip:a@x.test', username: 'a', ha1Md5: 'ab' }), refused('realm'));
  await assert.rejects(s.createProfile(SUBSCRIBERS_TABLE, 'a', { address: 'sip:a@x.test', username: 'a', password: '' }), refused('password'));
  await assert.rejects(s.createProfile(SUBSCRIBERS_TABLE, 'a', { address: 'not a uri', username: 'a', password: 'pw' }), refused('address'));
  const exported = {
    address: 'sip:b@x.test',
    username: 'b',
    realm: 'x.test',
    ha1Md5: digestHa1('MD5', 'b', 'x.test', 'pw'),
    ha1Sha256: digestHa1('SHA-256', 'b', 'x.test', 'pw'),
  };
  const csv = `profileName,address,username,realm,ha1Md5,ha1Sha256\nb,${exported.address},b,x.test,${exported.ha1Md5},${exported.ha1Sha256}\n`;
  await new ProfileProvisioning(s).importProfiles(SUBSCRIBERS_TABLE, csv, { format: 'csv' });
  assert.deepEqual((await s.getProfile(SUBSCRIBERS_TABLE, 'b'))!.values, { ...exported, password: null, displayName: null });
});

test('username and realm cannot change under the stored hashes; the same domain or a new password may', async (t) => {
  const s = await store(t);
  await s.createProfile(SUBSCRIBERS_TABLE, 'c', { address: 'sip:c@x.test', username: 'c', password: 'pw' });
  await assert.rejects(s.updateProfile(SUBSCRIBERS_TABLE, 'c', { username: 'cc' }), refused('username'));
  await assert.rejects(s.updateProfile(SUBSCRIBERS_TABLE, 'c', { address: 'sip:c@y.test' }), refused('realm'));
  await s.updateProfile(SUBSCRIBERS_TABLE, 'c', { displayName: 'C', address: 'sip:c2@x.test' });
  const moved = await s.updateProfile(SUBSCRIBERS_TABLE, 'c', { address: 'sip:c@y.test', username: 'cc', password: 'pw2' });
  assert.equal(moved.values['realm'], 'y.test');
  assert.equal(moved.values['ha1Sha256'], digestHa1('SHA-256', 'cc', 'y.test', 'pw2'));
  assert.equal(moved.values['password'], null);
});

test('with a configured realm the hashes are for that realm, whatever the domain', async (t) => {
  configureDigestAuth({ realm: 'sleet' });
  t.after(() => configureDigestAuth({}));
  const s = await store(t);
  const d = await s.createProfile(SUBSCRIBERS_TABLE, 'd', { address: 'sip:d@x.test', username: 'd', password: 'pw' });
  assert.equal(d.values['realm'], 'sleet');
  assert.equal(d.values['ha1Md5'], digestHa1('MD5', 'd', 'sleet', 'pw'));
});
