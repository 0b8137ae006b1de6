import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileStore } from '../../profiles/storage/profile-store.js';
import type { StoreTransactions } from '../../profiles/storage/store-transactions.js';
import { sqliteDriver } from '../../profiles/storage/sqlite-driver.js';

type Connection = { exec(sql: string): void; close(): void };
type ConnectionClass = new (file: string, options: { timeout: number }) => Connection;

test('a write transaction on a SQLite file shared by workers takes the write lock before it reads, so a writer in another process waits for it rather than failing it', async (t) => {
  const file = join(await mkdtemp(join(tmpdir(), 'sleet-shared-sqlite-')), 'profiles.sqlite');
  const store = await ProfileStore.open({ url: `sqlite:${file}` });
  t.after(() => store.close());
  await store.dataSource.query('CREATE TABLE bindings (contact TEXT)');
  // Another worker's connection to the same file, with a short busy timeout: the test runs in one thread.
  const Database = (sqliteDriver() ?? createRequire(import.meta.url)('better-sqlite3')) as ConnectionClass;
  const other = new Database(file, { timeout: 50 });
  t.after(() => other.close());
  const transactions = (store as unknown as { transactions: StoreTransactions }).transactions;

  let otherWrite = '';
  const settle = await transactions.prepare(async (qr) => {
    // Reads first, as a version check does; the other worker writes meanwhile.
    await qr.query('SELECT count(*) FROM bindings');
    try {
      other.exec("INSERT INTO bindings VALUES ('other')");
      otherWrite = 'written';
    } catch (err) {
      otherWrite = (err as Error).message;
    }
    await qr.query("INSERT INTO bindings VALUES ('ours')");
  });
  assert.equal(await settle(true), true);
  assert.equal(otherWrite, 'database is locked', 'the other worker waited on the lock this transaction held');
  assert.deepEqual(await store.dataSource.query('SELECT contact FROM bindings'), [{ contact: 'ours' }]);
});
