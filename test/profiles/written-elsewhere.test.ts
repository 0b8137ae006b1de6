import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attr, Indexed, ProfileFacility, ProfileQuery, ProfileSpec, ProfileStore, param, type ProfileRecord } from '../../profiles/index.js';
import { MARIADB_URL, uniqueTableName } from './profile-backends.js';

@ProfileSpec({ name: 'SharedBinding', vendor: 'sleet-test', version: '1.0', writable: true })
@ProfileQuery('bindings', (q) => q.equals('aor', param('aor')))
class SharedBindingProfile {
  @Indexed() aor!: string;
  @Attr() contact!: string;
}

const ALICE = 'sip:alice@example.com';
const contacts = (records: readonly ProfileRecord[]) => records.map((r) => r.values.contact).sort();

/** A facility on `store` that must see `table` as other processes write it, and a count of its reads that went to the store. */
function watching(t: TestContext, store: ProfileStore, table: string): { lookup: () => Promise<unknown[]>; storeReads: () => number } {
  const facility = new ProfileFacility(store, () => undefined);
  t.after(() => facility.close());
  facility.writtenElsewhere(table);
  const query = t.mock.method(store, 'query');
  return { lookup: async () => contacts(await facility.query(table, 'bindings', { aor: ALICE })), storeReads: () => query.mock.callCount() };
}

test('on a SQLite file two workers share, a lookup is answered from the cache until the other worker commits, and then sees its write', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sleet-written-elsewhere-'));
  const url = join(dir, 'profiles.sqlite');
  const ours = await ProfileStore.open({ url });
  const theirs = await ProfileStore.open({ url });
  t.after(async () => {
    await ours.close();
    await theirs.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await ours.createTable('bindings', SharedBindingProfile);
  await theirs.refreshCatalogue();
  const { lookup, storeReads } = watching(t, ours, 'bindings');

  await theirs.createProfile('bindings', 'a1', { aor: ALICE, contact: 'sip:alice@192.0.2.1' });
  assert.deepEqual(await lookup(), ['sip:alice@192.0.2.1']);
  assert.deepEqual(await lookup(), ['sip:alice@192.0.2.1']);
  assert.equal(storeReads(), 1, 'the second lookup came from the cache: nobody wrote in between');

  await theirs.createProfile('bindings', 'a2', { aor: ALICE, contact: 'sip:alice@192.0.2.2' });
  assert.deepEqual(await lookup(), ['sip:alice@192.0.2.1', 'sip:alice@192.0.2.2'], "the other worker's binding, at once");
  await theirs.removeProfile('bindings', 'a1');
  assert.deepEqual(await lookup(), ['sip:alice@192.0.2.2']);
  await ours.createProfile('bindings', 'a3', { aor: ALICE, contact: 'sip:alice@192.0.2.3' });
  assert.deepEqual(await lookup(), ['sip:alice@192.0.2.2', 'sip:alice@192.0.2.3'], 'and our own, as before');
  assert.deepEqual(await lookup(), ['sip:alice@192.0.2.2', 'sip:alice@192.0.2.3']);
  assert.equal(storeReads(), 4);
});

test('on MariaDB, which cannot tell cheaply whether another node wrote, every lookup of such a table goes to the database', async (t) => {
  let store: ProfileStore;
  try {
    store = await ProfileStore.open({ url: MARIADB_URL });
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    t.skip(`MariaDB not reachable at ${MARIADB_URL}: ${(err as Error).message}`);
    return;
  }
  const table = uniqueTableName('elsewhere');
  t.after(async () => {
    await store.removeTable(table).catch(() => undefined);
    await store.close();
  });
  await store.createTable(table, SharedBindingProfile);
  await store.createProfile(table, 'a1', { aor: ALICE, contact: 'sip:alice@192.0.2.1' });
  assert.equal(store.externalChanges(), undefined);
  const { lookup, storeReads } = watching(t, store, table);
  assert.deepEqual(await lookup(), ['sip:alice@192.0.2.1']);
  assert.deepEqual(await lookup(), ['sip:alice@192.0.2.1']);
  assert.equal(storeReads(), 2);
});
