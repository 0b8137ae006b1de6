import 'reflect-metadata';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Attr, Indexed, ProfileQuery, ProfileSpec, param, type ProfileFacility, type ProfileStore } from '../../profiles/index.js';
import { facilityOnSqlite } from './facility-on-sqlite.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { Transaction } from '../../slee/transaction/transaction.js';

@ProfileSpec({ name: 'Counter', vendor: 'sleet-test', version: '1.0', writable: true })
@ProfileQuery('byOwner', (q) => q.equals('owner', param('owner')))
class CounterProfile {
  @Indexed() owner!: string;
  @Attr() count!: number;
}

async function setUp(t: TestContext): Promise<{ store: ProfileStore; facility: ProfileFacility; begin: () => Transaction }> {
  let current: Transaction | undefined;
  const { store, facility } = await facilityOnSqlite(t, () => current);
  await store.createTable('counters', CounterProfile);
  await store.createProfile('counters', 'shared', { owner: 'alice', count: 1 });
  return { store, facility, begin: () => (current = new Transaction()) };
}

test('a write expects the version its transaction first read, though a later read by another path saw a newer one', async (t) => {
  const { store, facility, begin } = await setUp(t);
  const tx = begin();
  assert.equal((await facility.get<{ count: number }>('counters', 'shared'))?.values.count, 1);
  await store.updateProfile('counters', 'shared', { count: 5 });
  const [again] = await facility.query<{ count: number }>('counters', 'byOwner', { owner: 'alice' });
  assert.equal(again?.values.count, 5, 'the query read the store again');
  await facility.set('counters', 'shared', { count: again!.values.count + 1 });
  await assert.rejects(
    async () => tx.commit(),
    (err) => SleetError.is(err, ErrorCode.TRANSACTION_ROLLED_BACK) && SleetError.is((err as Error).cause, ErrorCode.PROFILE_WRITE_CONFLICT),
  );
  assert.equal((await store.getProfile('counters', 'shared'))?.values.count, 5, 'the write did not land');
});

test('the same reads and write commit when nothing changed the profile between them', async (t) => {
  const { store, facility, begin } = await setUp(t);
  const tx = begin();
  await facility.get('counters', 'shared');
  const [again] = await facility.query<{ count: number }>('counters', 'byOwner', { owner: 'alice' });
  await facility.set('counters', 'shared', { count: again!.values.count + 1 });
  await tx.commit();
  assert.equal((await store.getProfile('counters', 'shared'))?.values.count, 2);
});
