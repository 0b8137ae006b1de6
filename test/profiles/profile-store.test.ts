import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, type SleetErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import {
  ProfileFacility,
  ProfileProvisioning,
  ProfileStore,
  param,
  versionOf,
  PROFILE_VERSION_COLUMN,
  type ProfileChange,
  type ProfileRecord,
} from '../../profiles/index.js';
import { BlockListProfile, SubscriberProfile, SubscriberProfileV2 } from './subscriber-specs.js';
import { Transaction } from '../../slee/transaction/transaction.js';
import { mariadbBackend, sqliteBackend, uniqueTableName, type ProfileBackend } from './profile-backends.js';

/** Asserts that `promise` rejects with a SleetError of `code`, and returns it. */
async function rejectsWith(promise: Promise<unknown>, code: SleetErrorCode): Promise<SleetError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(SleetError.is(err, code), `expected ${code}, got ${(err as Error).message}`);
    return err;
  }
  assert.fail(`expected ${code}, but it resolved`);
}

function subscriber(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { address: `sip:user${n}@example.com`, prefix: `p${n}`, age: n, pin: `${1000 + n}`, ...extra };
}

function names(records: readonly ProfileRecord[]): string[] {
  return records.map((r) => r.name);
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}

function suite(backend: ProfileBackend): void {
  test(`profile store on ${backend.name}`, async (t) => {
    const opened = await backend.open();
    if (!(opened instanceof ProfileStore)) {
      t.skip(opened.unavailable);
      return;
    }
    let store: ProfileStore = opened;
    const created: string[] = [];
    let provisioning = new ProfileProvisioning(store);
    let current: Transaction | undefined;
    let facility = new ProfileFacility(store, () => current);

    const newTable = async (prefix: string, spec: Function = SubscriberProfile, defaults?: Record<string, unknown>) => {
      const name = uniqueTableName(prefix);
      created.push(name);
      await provisioning.createTable(name, spec, defaults ? { defaults } : {});
      return name;
    };
    const inTx = async <T>(fn: (tx: Transaction) => Promise<T>, outcome: 'commit' | 'rollback' = 'commit'): Promise<T> => {
      const tx = new Transaction();
      current = tx;
      try {
        const result = await fn(tx);
        if (outcome === 'commit') await tx.commit();
        else tx.rollback();
        return result;
      } finally {
        current = undefined;
        await facility.flush();
      }
    };

    t.after(async () => {
      for (const name of created) if (store.hasTable(name)) await store.removeTable(name).catch(() => undefined);
      facility.close();
      await store.close();
      backend.cleanup();
    });

    await t.test('every attribute type is stored and read back identically', async () => {
      const table = await newTable('types');
      const values = {
        address: 'sip:alice@example.com',
        displayName: 'Alice "A", Smith',
        aliases: ['alice', 'ali', ''],
        prefix: '1212',
        action: 'redirect',
        settings: { nested: { list: [1, 'two', null], flag: true }, empty: {} },
        age: 42.5,
        active: true,
        balance: 9_223_372_036_854_775_807n,
        since: new Date('2024-02-29T12:34:56.789Z'),
        logins: [new Date(0), new Date('2030-01-01T00:00:00.001Z')],
        counters: [-(2n ** 63n), 0n, 2n ** 53n + 1n],
        pin: '',
      };
      await provisioning.createProfile(table, 'alice', values);
      const read = await provisioning.getProfile(table, 'alice');
      assert.deepEqual(read?.values, values);
      await provisioning.createProfile(table, 'bare', { address: 'sip:bare', pin: '0' });
      const bare = await provisioning.getProfile(table, 'bare');
      assert.equal(bare?.values.displayName, null);
      assert.equal(bare?.values.balance, null);
      assert.equal(bare?.values.action, 'reject', 'spec default applies');
    });

    await t.test('each query operator runs in SQL with the expected results', async () => {
      const table = await newTable('ops');
      for (let n = 1; n <= 5; n++) {
        await provisioning.createProfile(
          table,
          `s${n}`,
          subscriber(n, {
            balance: BigInt(n) * 10n ** 15n,
            since: new Date(Date.UTC(2024, 0, n)),
            active: n % 2 === 1,
            action: n >= 4 ? 'redirect' : 'reject',
          }),
        );
      }
      const find = (fn: Parameters<ProfileStore['find']>[1], params?: Record<string, unknown>) => store.find(table, fn, params).then(names);
      assert.deepEqual(await find((q) => q.equals('age', 3)), ['s3']);
      assert.deepEqual(await find((q) => q.notEquals('age', 3)), ['s1', 's2', 's4', 's5']);
      assert.deepEqual(await find((q) => q.lessThan('age', 3)), ['s1', 's2']);
      assert.deepEqual(await find((q) => q.lessThanOrEquals('age', 3)), ['s1', 's2', 's3']);
      assert.deepEqual(await find((q) => q.greaterThan('balance', 3n * 10n ** 15n)), ['s4', 's5']);
      assert.deepEqual(await find((q) => q.greaterThanOrEquals('since', new Date(Date.UTC(2024, 0, 4)))), ['s4', 's5']);
      assert.deepEqual(await find((q) => q.range('age', 2, 4)), ['s2', 's3', 's4']);
      assert.deepEqual(await find((q) => q.hasPrefix('address', 'sip:user')), ['s1', 's2', 's3', 's4', 's5']);
      assert.deepEqual(await find((q) => q.hasPrefix('address', 'sip:user4')), ['s4']);
      assert.deepEqual(await find((q) => q.and(q.equals('active', true), q.greaterThan('age', 1))), ['s3', 's5']);
      assert.deepEqual(await find((q) => q.or(q.equals('age', 1), q.equals('age', 5))), ['s1', 's5']);
      assert.deepEqual(await find((q) => q.not(q.equals('action', 'reject'))), ['s4', 's5']);
      assert.deepEqual(await find((q) => q.equals('displayName', null)), ['s1', 's2', 's3', 's4', 's5']);
      assert.deepEqual(await find((q) => q.equals('age', param('a')), { a: 2 }), ['s2']);
      assert.deepEqual(names(await provisioning.query(table, 'ageBetween', { min: 4, max: 10 })), ['s4', 's5']);
      assert.deepEqual(names(await provisioning.query(table, 'activeRedirects')), ['s5']);
      const missing = await rejectsWith(provisioning.query(table, 'ageBetween', { min: 1 }), ErrorCode.PROFILE_QUERY_INVALID);
      assert.match(missing.message, /max/);
      const badOperand = await rejectsWith(
        store.find(table, (q) => q.equals('age', 'old')),
        ErrorCode.PROFILE_QUERY_INVALID,
      );
      assert.equal((badOperand.details as { attribute: string }).attribute, 'age');
      await rejectsWith(
        store.find(table, (q) => q.equals('aliases', 'x')),
        ErrorCode.PROFILE_QUERY_INVALID,
      );
    });

    await t.test('longestPrefixMatch picks the longest stored prefix of a dialled number', async () => {
      const table = await newTable('lpm');
      for (const [name, prefix] of [
        ['one', '1'],
        ['nyc', '1212'],
        ['manhattan', '12125'],
        ['uk', '44'],
      ] as const) {
        await provisioning.createProfile(table, name, subscriber(name.length, { address: `sip:${name}`, prefix }));
      }
      assert.deepEqual(names(await provisioning.query(table, 'byPrefix', { number: '12125551234' })), ['manhattan']);
      assert.deepEqual(names(await provisioning.query(table, 'byPrefix', { number: '12135551234' })), ['one']);
      assert.deepEqual(names(await provisioning.query(table, 'byPrefix', { number: '4420' })), ['uk']);
      assert.deepEqual(names(await provisioning.query(table, 'byPrefix', { number: '33' })), []);
      assert.deepEqual(
        names(await store.find(table, (q) => q.and(q.longestPrefixMatch('prefix', '12125551234'), q.lessThan('age', 5)))),
        ['nyc'],
        'manhattan (age 9) is filtered out',
      );
    });

    await t.test('a unique violation names the attribute and writes nothing', async () => {
      const table = await newTable('unique');
      await provisioning.createProfile(table, 'a', subscriber(1));
      await provisioning.createProfile(table, 'b', subscriber(2));
      const err = await rejectsWith(
        provisioning.createProfile(table, 'c', subscriber(3, { address: 'sip:user1@example.com' })),
        ErrorCode.PROFILE_UNIQUE_VIOLATION,
      );
      assert.match(err.message, /'address'/);
      assert.equal((err.details as { attribute: string }).attribute, 'address');
      assert.equal(await provisioning.getProfile(table, 'c'), undefined);
      assert.equal(await provisioning.countProfiles(table), 2);
      await rejectsWith(provisioning.updateProfile(table, 'b', { address: 'sip:user1@example.com', age: 99 }), ErrorCode.PROFILE_UNIQUE_VIOLATION);
      assert.deepEqual((await provisioning.getProfile(table, 'b'))?.values.age, 2);
      await rejectsWith(provisioning.createProfile(table, 'a', subscriber(4)), ErrorCode.PROFILE_EXISTS);
    });

    await t.test('validation errors name the attribute', async () => {
      const table = await newTable('valid');
      const cases: Array<[Record<string, unknown>, string]> = [
        [subscriber(1, { age: 'forty' }), 'age'],
        [subscriber(1, { action: 'drop' }), 'action'],
        [subscriber(1, { balance: 12 }), 'balance'],
        [subscriber(1, { since: 'yesterday' }), 'since'],
        [subscriber(1, { aliases: ['ok', 3] }), 'aliases'],
        [subscriber(1, { pin: undefined }), 'pin'],
        [subscriber(1, { colour: 'red' }), 'colour'],
      ];
      for (const [values, attribute] of cases) {
        const err = await rejectsWith(provisioning.createProfile(table, 'x', values), ErrorCode.PROFILE_VALIDATION);
        assert.equal((err.details as { attribute: string }).attribute, attribute);
        assert.match(err.message, new RegExp(`'${attribute}'`));
      }
      await provisioning.createProfile(table, 'x', subscriber(1));
      const err = await rejectsWith(provisioning.updateProfile(table, 'x', { pin: null }), ErrorCode.PROFILE_VALIDATION);
      assert.equal((err.details as { attribute: string }).attribute, 'pin');
      await rejectsWith(provisioning.updateProfile(table, 'nobody', { age: 1 }), ErrorCode.PROFILE_NOT_FOUND);
      await rejectsWith(provisioning.getProfile('no-such-table', 'x'), ErrorCode.PROFILE_TABLE_NOT_FOUND);
    });

    await t.test('the default profile seeds new profiles', async () => {
      const table = await newTable('defaults', SubscriberProfile, { action: 'redirect', displayName: 'unknown' });
      await provisioning.setDefaultProfile(table, { age: 18 });
      await provisioning.createProfile(table, 'd', { address: 'sip:d', pin: '1', displayName: 'Dee' });
      const d = await provisioning.getProfile(table, 'd');
      assert.equal(d?.values.action, 'redirect');
      assert.equal(d?.values.age, 18);
      assert.equal(d?.values.displayName, 'Dee');
      assert.deepEqual(provisioning.getDefaultProfile(table), { action: 'redirect', displayName: 'unknown', age: 18 });
    });

    await t.test('an import that fails halfway leaves the table as it was and names line and attribute', async () => {
      const table = await newTable('import_fail');
      await provisioning.createProfile(table, 'existing', subscriber(0, { address: 'sip:taken' }));
      const before = await collect(provisioning.exportProfiles(table, { format: 'json' }));
      const lines = ['profileName,address,prefix,age,pin,action'];
      for (let i = 1; i <= 400; i++) lines.push(`u${i},sip:u${i},p${i},${i},${i},reject`);
      // Row 300 (file line 301) clashes with a profile already stored: found in the third batch, after two were inserted.
      lines[300] = 'u300,sip:taken,p300,300,300,reject';
      const progress: number[] = [];
      const err = await rejectsWith(
        provisioning.importProfiles(table, lines.join('\n'), { format: 'csv', batchSize: 100, onProgress: (p) => progress.push(p.done) }),
        ErrorCode.PROFILE_IMPORT,
      );
      assert.deepEqual(err.details, { line: 301, profileName: 'u300', attribute: 'address', reason: 'value is not unique (an existing profile has it)' });
      assert.deepEqual(progress, [100, 200], 'two batches went in before the failure');
      assert.equal(await collect(provisioning.exportProfiles(table, { format: 'json' })), before);

      lines[300] = 'u300,sip:u300,p300,300,300,drop';
      const invalid = await rejectsWith(provisioning.importProfiles(table, lines.join('\n'), { format: 'csv' }), ErrorCode.PROFILE_IMPORT);
      assert.equal((invalid.details as { line: number }).line, 301);
      assert.equal((invalid.details as { attribute: string }).attribute, 'action');
      assert.equal(await provisioning.countProfiles(table), 1);

      lines[300] = 'u1,sip:u300,p300,300,300,reject';
      const dup = await rejectsWith(provisioning.importProfiles(table, lines.join('\n'), { format: 'csv' }), ErrorCode.PROFILE_IMPORT);
      assert.deepEqual([(dup.details as { line: number }).line, (dup.details as { attribute: string }).attribute], [301, 'profileName']);

      lines[300] = 'u300,sip:u300,p300,300,300,reject';
      const seen: ProfileChange[] = [];
      const off = store.onChange((c) => seen.push(c));
      const ok = await provisioning.importProfiles(table, lines.join('\n'), { format: 'csv', batchSize: 150, onProgress: (p) => progress.push(p.done) });
      off();
      assert.equal(ok.imported, 400);
      assert.deepEqual(progress.slice(2), [150, 300, 400]);
      assert.equal(await provisioning.countProfiles(table), 401);
      assert.equal(seen.length, 400);
      assert.equal(
        seen.every((c) => c.kind === 'added'),
        true,
      );
    });

    await t.test('JSON and CSV exports import back to identical profiles', async () => {
      const source = await newTable('export');
      for (let n = 1; n <= 25; n++) {
        await provisioning.createProfile(
          source,
          `s${String(n).padStart(2, '0')}`,
          subscriber(n, {
            displayName: n % 3 === 0 ? '' : n % 3 === 1 ? `Name, "quoted" ${n}\nline two` : undefined,
            aliases: n % 2 ? ['a', 'b,c'] : [],
            settings: { n, tags: ['x'] },
            balance: -(2n ** 62n) + BigInt(n),
            since: new Date(1_700_000_000_000 + n),
            logins: [new Date(n)],
            counters: [BigInt(n) * 2n ** 40n],
            active: n % 2 === 0,
          }),
        );
      }
      const original = await store.pageProfiles(source, { limit: 1000 });
      for (const format of ['json', 'csv'] as const) {
        const text = await collect(provisioning.exportProfiles(source, { format, pageSize: 7 }));
        const target = await newTable(`import_${format}`);
        const result = await provisioning.importProfiles(target, text, { format });
        assert.equal(result.imported, 25);
        const copy = await store.pageProfiles(target, { limit: 1000 });
        assert.deepEqual(
          copy.map((r) => [r.name, r.values]),
          original.map((r) => [r.name, r.values]),
          `${format} round trip`,
        );
      }
      if (backend.name === 'SQLite') {
        assert.equal(JSON.parse(await collect(provisioning.exportProfiles(source, { format: 'json' }))).length, 25, 'JSON export is a valid array');
      }
    });

    await t.test('the facility cache serves repeated reads and is invalidated by provisioning writes', async () => {
      const table = await newTable('cache');
      await provisioning.createProfile(table, 'a', subscriber(1));
      const first = await facility.findByAddress(table, 'sip:user1@example.com');
      const again = await facility.findByAddress(table, 'sip:user1@example.com');
      assert.equal(again, first, 'second lookup is served from the cache');
      assert.equal((await facility.get(table, 'a'))?.values.age, 1);
      await provisioning.updateProfile(table, 'a', { age: 2, address: 'sip:moved' });
      assert.equal((await facility.get(table, 'a'))?.values.age, 2);
      assert.equal(await facility.findByAddress(table, 'sip:user1@example.com'), undefined);
      assert.equal((await facility.findByAddress(table, 'sip:moved'))?.name, 'a');
      await provisioning.importProfiles(table, 'profileName,address,pin\nb,sip:user1@example.com,7\n', { format: 'csv' });
      assert.equal((await facility.findByAddress(table, 'sip:user1@example.com'))?.name, 'b');
      await provisioning.removeProfile(table, 'a');
      assert.equal(await facility.get(table, 'a'), undefined);
    });

    await t.test('SBB reads inside a transaction are repeatable', async () => {
      const table = await newTable('txread');
      await provisioning.createProfile(table, 'a', subscriber(1));
      await inTx(async () => {
        assert.equal((await facility.get(table, 'a'))?.values.age, 1);
        assert.deepEqual(names(await facility.query(table, 'ageBetween', { min: 0, max: 5 })), ['a']);
        await provisioning.updateProfile(table, 'a', { age: 50 });
        assert.equal((await facility.get(table, 'a'))?.values.age, 1, 'same value within the transaction');
        assert.deepEqual(names(await facility.query(table, 'ageBetween', { min: 0, max: 5 })), ['a']);
      });
      await inTx(async () => {
        assert.equal((await facility.get(table, 'a'))?.values.age, 50, 'a new transaction sees the update');
      });
    });

    await t.test('SBB writes commit with the transaction, or vanish when it rolls back', async () => {
      const table = await newTable('txwrite');
      await provisioning.createProfile(table, 'a', subscriber(1));
      const seen: ProfileChange[] = [];
      const off = store.onChange((c) => seen.push(c));

      await inTx(async () => {
        await facility.set(table, 'a', { age: 77 });
        await facility.create(table, 'b', subscriber(2));
        assert.equal((await facility.get(table, 'a'))?.values.age, 77, 'own write visible');
        assert.equal((await facility.findByAddress(table, 'sip:user2@example.com'))?.name, 'b');
        assert.deepEqual(names(await facility.query(table, 'ageBetween', { min: 0, max: 100 })), ['a', 'b']);
      }, 'rollback');
      assert.equal((await provisioning.getProfile(table, 'a'))?.values.age, 1);
      assert.equal(await provisioning.getProfile(table, 'b'), undefined);
      assert.equal(seen.length, 0);

      await inTx(async () => {
        await facility.set(table, 'a', { age: 77 });
        await facility.create(table, 'b', subscriber(2));
        await facility.remove(table, 'b');
        await facility.create(table, 'c', subscriber(3));
        assert.equal(await facility.get(table, 'b'), undefined);
      });
      assert.equal((await provisioning.getProfile(table, 'a'))?.values.age, 77);
      assert.equal(await provisioning.getProfile(table, 'b'), undefined);
      assert.equal((await provisioning.getProfile(table, 'c'))?.values.age, 3);
      assert.equal((await facility.get(table, 'a'))?.values.age, 77);
      off();
      const updated = seen.find((c) => c.kind === 'updated');
      assert.ok(updated && updated.kind === 'updated');
      assert.equal(updated.before.values.age, 1);
      assert.equal(updated.after.values.age, 77);
      assert.deepEqual(
        seen.map((c) => `${c.kind}:${c.profileName}`),
        ['updated:a', 'added:b', 'removed:b', 'added:c'],
      );
    });

    await t.test('an SBB write that fails in prepare rolls the transaction back and writes nothing', async () => {
      const table = await newTable('txfail');
      await provisioning.createProfile(table, 'a', subscriber(1));
      await provisioning.createProfile(table, 'b', subscriber(2));
      await rejectsWith(
        inTx(async () => {
          await facility.set(table, 'a', { age: 10 });
          await facility.set(table, 'b', { address: 'sip:user1@example.com' });
        }),
        ErrorCode.TRANSACTION_ROLLED_BACK,
      );
      assert.equal((await provisioning.getProfile(table, 'a'))?.values.age, 1);
      assert.equal((await provisioning.getProfile(table, 'b'))?.values.address, 'sip:user2@example.com');
    });

    await t.test('an SBB write to a profile changed since the transaction read it is refused, not lost', async () => {
      const table = await newTable('conflict');
      await provisioning.createProfile(table, 'a', subscriber(1));
      await provisioning.createProfile(table, 'b', subscriber(2));
      const conflict = async (write: () => Promise<void>) => {
        const rolledBack = await rejectsWith(
          inTx(async () => {
            assert.ok(await facility.findByAddress(table, 'sip:user1@example.com'), 'read before the other writer');
            await provisioning.updateProfile(table, 'a', { age: 50 });
            await write();
          }),
          ErrorCode.TRANSACTION_ROLLED_BACK,
        );
        assert.ok(SleetError.is(rolledBack.cause, ErrorCode.PROFILE_WRITE_CONFLICT), `cause: ${(rolledBack.cause as Error)?.message}`);
        assert.match(rolledBack.message, /profile 'a' in table '.*' changed since this transaction read it/);
      };
      await conflict(() => facility.set(table, 'a', { pin: '9' }));
      assert.equal((await provisioning.getProfile(table, 'a'))?.values.age, 50, "the other writer's update is kept");
      assert.equal((await provisioning.getProfile(table, 'a'))?.values.pin, '1001');
      await conflict(() => facility.remove(table, 'a'));
      assert.ok(await provisioning.getProfile(table, 'a'), 'the profile was not removed');

      await inTx(async () => {
        const a = await facility.get<{ age: number }>(table, 'a');
        await facility.set(table, 'a', { age: a!.values.age + 1 });
        await facility.set(table, 'a', { age: a!.values.age + 2 });
        await facility.set(table, 'b', { age: 20 });
      });
      assert.equal((await provisioning.getProfile(table, 'a'))?.values.age, 52, 'repeated writes in one transaction check the version once');
      assert.equal((await provisioning.getProfile(table, 'b'))?.values.age, 20, 'a profile written without being read first');
    });

    await t.test('an SBB write made after its transaction started committing is refused, not dropped', async () => {
      const table = await newTable('late');
      await provisioning.createProfile(table, 'a', subscriber(1));
      const tx = new Transaction();
      current = tx;
      try {
        await facility.set(table, 'a', { age: 2 });
        const committing = tx.commit();
        await rejectsWith(facility.set(table, 'a', { age: 3 }), ErrorCode.TRANSACTION_REQUIRED);
        await committing;
      } finally {
        current = undefined;
      }
      assert.equal((await provisioning.getProfile(table, 'a'))?.values.age, 2);
    });

    await t.test('SBB writes are refused on read-only specs and outside transactions', async () => {
      const blocks = await newTable('blocks', BlockListProfile);
      await provisioning.createProfile(blocks, 'spam', { number: '+15550100', reason: 'spam' });
      assert.equal((await facility.findByAddress(blocks, '+15550100'))?.values.reason, 'spam');
      await inTx(async () => {
        await rejectsWith(facility.set(blocks, 'spam', { reason: 'x' }), ErrorCode.PROFILE_READ_ONLY);
        await rejectsWith(facility.create(blocks, 'new', { number: '1' }), ErrorCode.PROFILE_READ_ONLY);
        await rejectsWith(
          facility.set(blocks, 'spam', { reason: 'x' }).then(() => facility.remove(blocks, 'spam')),
          ErrorCode.PROFILE_READ_ONLY,
        );
      });
      const subs = await newTable('notx');
      await rejectsWith(facility.create(subs, 'a', subscriber(1)), ErrorCode.TRANSACTION_REQUIRED);
    });

    await t.test('schema evolution adds the new attribute and keeps existing data', async () => {
      const table = await newTable('evolve');
      await provisioning.createProfile(table, 'old', subscriber(1, { displayName: 'Old' }));
      const { addedAttributes } = await provisioning.upgradeTable(table, SubscriberProfileV2);
      assert.deepEqual(addedAttributes, ['language']);
      const old = await provisioning.getProfile(table, 'old');
      assert.equal(old?.values.displayName, 'Old');
      assert.equal(old?.values.language, 'en');
      await provisioning.createProfile(table, 'new', subscriber(2, { language: 'fr' }));
      assert.deepEqual(names(await store.find(table, (q) => q.equals('language', 'fr'))), ['new']);

      // The catalogue keeps the upgraded spec across a restart.
      facility.close();
      await store.close();
      const reopened = await backend.open();
      assert.ok(reopened instanceof ProfileStore);
      store = reopened;
      provisioning = new ProfileProvisioning(store);
      facility = new ProfileFacility(store, () => current);
      assert.equal(store.tableInfo(table).spec.version, '2.0');
      assert.deepEqual(names(await store.find(table, (q) => q.equals('language', 'en'))), ['old']);
      assert.deepEqual((await provisioning.openTable(table, SubscriberProfileV2)).spec.attributes.length, 14);
      await rejectsWith(provisioning.upgradeTable(table, BlockListProfile), ErrorCode.PROFILE_SPEC_INVALID);
    });

    await t.test('a table from before profile versions gets the version column when the store opens', async () => {
      const table = await newTable('legacy');
      await provisioning.createProfile(table, 'a', subscriber(1));
      const sqlTable = store.tableInfo(table).sqlTable;
      const quote = (id: string) => store.dataSource.driver.escape(id);
      await store.dataSource.query(`ALTER TABLE ${quote(sqlTable)} DROP COLUMN ${quote(PROFILE_VERSION_COLUMN)}`);
      facility.close();
      await store.close();
      const reopened = await backend.open();
      assert.ok(reopened instanceof ProfileStore);
      store = reopened;
      provisioning = new ProfileProvisioning(store);
      facility = new ProfileFacility(store, () => current);
      const columns: Array<Record<string, unknown>> = await store.dataSource.query(
        store.backend === 'sqlite' ? `PRAGMA table_info(${quote(sqlTable)})` : `SHOW COLUMNS FROM ${quote(sqlTable)}`,
      );
      assert.ok(
        columns.some((c) => (c.name ?? c.Field) === PROFILE_VERSION_COLUMN),
        'the version column was added',
      );
      const a = await provisioning.getProfile(table, 'a');
      assert.equal(a && versionOf(a), 0, 'existing profiles start at version 0');
      await provisioning.updateProfile(table, 'a', { age: 2 });
      assert.equal(versionOf((await provisioning.getProfile(table, 'a'))!), 1);
    });

    await t.test('tables can be renamed and removed', async () => {
      const table = await newTable('rename');
      await provisioning.createProfile(table, 'a', subscriber(1));
      await rejectsWith(provisioning.createTable(table, SubscriberProfile), ErrorCode.PROFILE_TABLE_EXISTS);
      const renamed = `${table}_new`;
      created.push(renamed);
      await provisioning.renameTable(table, renamed);
      await rejectsWith(provisioning.getProfile(table, 'a'), ErrorCode.PROFILE_TABLE_NOT_FOUND);
      assert.equal((await facility.findByAddress(renamed, 'sip:user1@example.com'))?.name, 'a');
      assert.ok(provisioning.listTables().some((i) => i.name === renamed));
      await provisioning.removeTable(renamed);
      assert.equal(
        provisioning.listTables().some((i) => i.name === renamed),
        false,
      );
      await rejectsWith(facility.get(renamed, 'a'), ErrorCode.PROFILE_TABLE_NOT_FOUND);
      await provisioning.createTable(renamed, BlockListProfile);
      assert.deepEqual(await provisioning.listProfiles(renamed), []);
    });
  });
}

suite(sqliteBackend());
suite(mariadbBackend());

test('an in-memory SQLite store works without a data directory', async () => {
  const store = await ProfileStore.open({ url: ':memory:' });
  try {
    await store.createTable('t', SubscriberProfile);
    await store.createProfile('t', 'a', subscriber(1));
    assert.equal((await store.findByAddress('t', 'sip:user1@example.com'))?.name, 'a');
  } finally {
    await store.close();
  }
});
