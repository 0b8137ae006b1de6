import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Attr, ProfileSpec } from '../../profiles/index.js';
import { ProfileStore } from '../../profiles/storage/profile-store.js';
import { ProfileProvisioning } from '../../profiles/provisioning/profile-provisioning.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

@ProfileSpec({ name: 'Line', vendor: 'test', version: '1.0' })
class LineProfile {
  @Attr({ type: 'enum', values: ['reject', 'redirect'], default: 'reject' }) action!: string;
  @Attr() status!: number;
}

test('a refused import lists every row that fails validation, not only the first, and imports none', async (t) => {
  const store = await ProfileStore.open({ url: ':memory:' });
  t.after(() => store.close());
  const provisioning = new ProfileProvisioning(store);
  await provisioning.createTable('lines', LineProfile);
  const csv = ['profileName,action,status', 'a,reject,603', 'b,drop,603', 'c,reject,603', 'd,redirect,loud', 'e,never,603'].join('\n');
  const err = await provisioning.importProfiles('lines', csv, { format: 'csv' }).then(
    () => assert.fail('the import was accepted'),
    (e: unknown) => e as SleetError,
  );
  assert.ok(SleetError.is(err, ErrorCode.PROFILE_IMPORT));
  const details = err.details as { line: number; attribute: string; rejected: Array<{ line: number; profileName: string; attribute: string }> };
  assert.deepEqual([details.line, details.attribute], [3, 'action'], 'the first rejected row stays the details');
  assert.deepEqual(
    details.rejected.map((r) => [r.line, r.profileName, r.attribute]),
    [
      [3, 'b', 'action'],
      [5, 'd', 'status'],
      [6, 'e', 'action'],
    ],
  );
  assert.match(err.message, /and 2 more rows/);
  assert.equal(await provisioning.countProfiles('lines'), 0);
});

test('a refused import of many bad rows lists the first hundred', async (t) => {
  const store = await ProfileStore.open({ url: ':memory:' });
  t.after(() => store.close());
  const provisioning = new ProfileProvisioning(store);
  await provisioning.createTable('lines', LineProfile);
  const rows = Array.from({ length: 250 }, (_, i) => `p${i},drop,603`);
  const err = (await provisioning
    .importProfiles('lines', ['profileName,action,status', ...rows].join('\n'), { format: 'csv' })
    .catch((e: unknown) => e)) as SleetError;
  assert.equal((err.details as { rejected: unknown[] }).rejected.length, 100);
  assert.match(err.message, /and 249 more rows/);
});
