import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Attr, ProfileSpec } from '../../profiles/index.js';
import { ProfileStore } from '../../profiles/storage/profile-store.js';
import { ProfileProvisioning } from '../../profiles/provisioning/profile-provisioning.js';
import { startManagementFixture } from './management-fixture.js';

@ProfileSpec({ name: 'Entry', vendor: 'test', version: '1.0' })
class EntryProfile {
  @Attr({ type: 'enum', values: ['address', 'prefix'], default: 'address' }) match!: string;
  @Attr({ default: 603 }) status!: number;
  @Attr() note?: string;
}

test('a profile table describes enum choices and defaults, so that a form can offer them', async (t) => {
  const store = await ProfileStore.open({ url: ':memory:' });
  t.after(() => store.close());
  const provisioning = new ProfileProvisioning(store);
  await provisioning.createTable('entries', EntryProfile);
  const f = await startManagementFixture({ profiles: provisioning });
  t.after(() => f.close());
  const table = await f.client.profileTableGet({ table: 'entries' });
  const byName = new Map(table.attributes.map((a) => [a.name, a]));
  assert.deepEqual(byName.get('match')?.values, ['address', 'prefix']);
  assert.equal(byName.get('match')?.default, 'address');
  assert.equal(byName.get('status')?.default, 603);
  assert.equal(byName.get('note')?.values, undefined);
  assert.equal('default' in byName.get('note')!, false, 'no default is no key, not null');
});
