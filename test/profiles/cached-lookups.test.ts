import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Attr, Indexed, ProfileQuery, ProfileSpec, param, type ProfileFacility, type ProfileStore, type ProfileRecord } from '../../profiles/index.js';
import { facilityOnSqlite } from './facility-on-sqlite.js';
import { BlockListProfile } from './subscriber-specs.js';

/** The shape of a registrar's table: bindings looked up by AOR, one profile per contact. */
@ProfileSpec({ name: 'Binding', vendor: 'sleet-test', version: '1.0', writable: true })
@ProfileQuery('bindings', (q) => q.equals('aor', param('aor')))
@ProfileQuery('expiringBefore', (q) => q.lessThan('expires', param('at')))
class BindingProfile {
  @Indexed() aor!: string;
  @Attr() contact!: string;
  @Indexed() expires!: number;
}

async function setUp(t: TestContext): Promise<{ store: ProfileStore; facility: ProfileFacility; storeReads: () => number }> {
  const { store, facility } = await facilityOnSqlite(t);
  await store.createTable('bindings', BindingProfile);
  await store.createTable('blocked', BlockListProfile);
  const query = t.mock.method(store, 'query');
  const byAddress = t.mock.method(store, 'findByAddress');
  return { store, facility, storeReads: () => query.mock.callCount() + byAddress.mock.callCount() };
}

const contacts = (records: readonly ProfileRecord[]) => records.map((r) => r.values.contact).sort();

test("storing one user's binding leaves every other user's cached bindings, and the next lookup of that user sees it", async (t) => {
  const { store, facility, storeReads } = await setUp(t);
  await store.createProfile('bindings', 'a1', { aor: 'sip:alice@example.com', contact: 'sip:alice@192.0.2.1', expires: 100 });
  await store.createProfile('bindings', 'b1', { aor: 'sip:bob@example.com', contact: 'sip:bob@192.0.2.2', expires: 100 });
  const lookup = async (aor: string) => contacts(await facility.query('bindings', 'bindings', { aor }));

  assert.deepEqual(await lookup('sip:alice@example.com'), ['sip:alice@192.0.2.1']);
  assert.deepEqual(await lookup('sip:bob@example.com'), ['sip:bob@192.0.2.2']);
  assert.equal(storeReads(), 2);

  await store.createProfile('bindings', 'b2', { aor: 'sip:bob@example.com', contact: 'sip:bob@192.0.2.3', expires: 100 });
  assert.deepEqual(await lookup('sip:alice@example.com'), ['sip:alice@192.0.2.1']);
  assert.equal(storeReads(), 2, "alice's bindings came from the cache");
  assert.deepEqual(await lookup('sip:bob@example.com'), ['sip:bob@192.0.2.2', 'sip:bob@192.0.2.3']);
  assert.equal(storeReads(), 3, "bob's were read again");

  // A binding moved from one AOR to another: both users' lookups change.
  await store.updateProfile('bindings', 'b2', { aor: 'sip:alice@example.com' });
  assert.deepEqual(await lookup('sip:alice@example.com'), ['sip:alice@192.0.2.1', 'sip:bob@192.0.2.3']);
  assert.deepEqual(await lookup('sip:bob@example.com'), ['sip:bob@192.0.2.2']);
  await store.removeProfile('bindings', 'a1');
  assert.deepEqual(await lookup('sip:alice@example.com'), ['sip:bob@192.0.2.3']);
  assert.deepEqual(await lookup('sip:bob@example.com'), ['sip:bob@192.0.2.2']);
  assert.equal(storeReads(), 6, 'bob was read once, after the move; alice after the move and after the removal');
});

test('a lookup that is not one equality on a string attribute is dropped on any change to the table', async (t) => {
  const { store, facility, storeReads } = await setUp(t);
  await store.createProfile('bindings', 'a1', { aor: 'sip:alice@example.com', contact: 'sip:alice@192.0.2.1', expires: 100 });
  const expiring = async () => contacts(await facility.query('bindings', 'expiringBefore', { at: 200 }));
  assert.deepEqual(await expiring(), ['sip:alice@192.0.2.1']);
  await store.createProfile('bindings', 'b1', { aor: 'sip:bob@example.com', contact: 'sip:bob@192.0.2.2', expires: 150 });
  assert.deepEqual(await expiring(), ['sip:alice@192.0.2.1', 'sip:bob@192.0.2.2']);
  assert.equal(storeReads(), 2);
});

test("an address profile stays cached while other addresses' profiles change, and is read again when its own does", async (t) => {
  const { store, facility, storeReads } = await setUp(t);
  await store.createProfile('blocked', 'x', { number: '+441111', reason: 'fraud' });
  await store.createProfile('blocked', 'y', { number: '+442222', reason: 'spam' });
  const reason = async (number: string) => (await facility.findByAddress('blocked', number))?.values.reason;

  assert.equal(await reason('+441111'), 'fraud');
  assert.equal(await reason('+443333'), undefined);
  await store.updateProfile('blocked', 'y', { reason: 'nuisance' });
  assert.equal(await reason('+441111'), 'fraud');
  assert.equal(await reason('+443333'), undefined);
  assert.equal(storeReads(), 2, 'neither lookup was read again');

  await store.updateProfile('blocked', 'y', { number: '+443333' });
  assert.equal(await reason('+443333'), 'nuisance', 'a profile that took the address is found at once');
  await store.removeProfile('blocked', 'x');
  assert.equal(await reason('+441111'), undefined);
  assert.equal(storeReads(), 4);
});
