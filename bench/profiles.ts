import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Attr, Indexed, ProfileFacility, ProfileProvisioning, ProfileSpec, ProfileStore } from '../profiles/index.js';
import { Transaction } from '../slee/transaction/transaction.js';

@ProfileSpec({ name: 'BenchSubscriber', vendor: 'sleet-bench', version: '1.0', addressAttribute: 'address' })
class BenchSubscriber {
  @Attr({ unique: true }) address!: string;
  @Indexed() msisdn!: string;
  @Attr() displayName!: string;
  @Attr() credit!: number;
  @Attr() active!: boolean;
}

const MARIADB_URL = 'mysql://root@127.0.0.1:3306/test';

function csv(rows: number): string {
  const lines = ['profileName,address,msisdn,displayName,credit,active'];
  for (let i = 0; i < rows; i++) lines.push(`p${i},sip:user${i}@bench.example,${4_470_000_0000 + i},User ${i},${i * 0.5},${i % 2 === 0}`);
  return lines.join('\n');
}

async function lookups(store: ProfileStore, table: string, cacheSize: number, distinct: number, count: number): Promise<number> {
  let tx: Transaction | undefined;
  const facility = new ProfileFacility(store, () => tx, { cacheSize });
  try {
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      // One lookup per transaction, as an initial-event address-profile select would do.
      tx = new Transaction();
      const p = await facility.findByAddress(table, `sip:user${i % distinct}@bench.example`);
      if (!p) throw new Error(`profile for user${i % distinct} missing`);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return Math.round(count / seconds);
  } finally {
    facility.close();
  }
}

async function importTime(store: ProfileStore, rows: number): Promise<{ seconds: number; table: string }> {
  const provisioning = new ProfileProvisioning(store);
  const table = `bench_import_${process.pid}_${Date.now()}`;
  await provisioning.createTable(table, BenchSubscriber);
  const text = csv(rows);
  const start = process.hrtime.bigint();
  const { imported } = await provisioning.importProfiles(table, text, { format: 'csv' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (imported !== rows) throw new Error(`imported ${imported} of ${rows}`);
  return { seconds, table };
}

export async function run(options: { quick?: boolean } = {}): Promise<{
  name: string;
  rows: Array<Record<string, string | number>>;
  params: Record<string, unknown>;
}> {
  const importRows = options.quick ? 10_000 : 100_000;
  const lookupCount = options.quick ? 20_000 : 200_000;
  const distinct = 1_000;
  const rows: Array<Record<string, string | number>> = [];
  const dir = mkdtempSync(join(tmpdir(), 'sleet-bench-profiles-'));
  try {
    const sqlite = await ProfileStore.open({ url: join(dir, 'profiles.sqlite') });
    try {
      const { seconds, table } = await importTime(sqlite, importRows);
      rows.push({ backend: 'SQLite', measure: `import ${importRows} profiles (CSV)`, value: Number(seconds.toFixed(2)), unit: 's' });
      rows.push({
        backend: 'SQLite',
        measure: 'lookups via facility, cached',
        value: await lookups(sqlite, table, 10_000, distinct, lookupCount),
        unit: 'lookups/s',
      });
      rows.push({
        backend: 'SQLite',
        measure: 'lookups via facility, no cache',
        value: await lookups(sqlite, table, 0, distinct, lookupCount / 10),
        unit: 'lookups/s',
      });
    } finally {
      await sqlite.close();
    }
    let mariadb: ProfileStore | undefined;
    try {
      mariadb = await ProfileStore.open({ url: MARIADB_URL });
    } catch (err) {
      console.log(`MariaDB skipped: not reachable at ${MARIADB_URL}: ${(err as Error).message}`);
      rows.push({ backend: 'MariaDB', measure: 'skipped (not reachable)', value: 0, unit: '' });
    }
    if (mariadb) {
      try {
        const { seconds, table } = await importTime(mariadb, importRows);
        rows.push({ backend: 'MariaDB', measure: `import ${importRows} profiles (CSV)`, value: Number(seconds.toFixed(2)), unit: 's' });
        rows.push({
          backend: 'MariaDB',
          measure: 'lookups via facility, cached',
          value: await lookups(mariadb, table, 10_000, distinct, lookupCount),
          unit: 'lookups/s',
        });
        rows.push({
          backend: 'MariaDB',
          measure: 'lookups via facility, no cache',
          value: await lookups(mariadb, table, 0, distinct, lookupCount / 20),
          unit: 'lookups/s',
        });
        await mariadb.removeTable(table);
      } finally {
        await mariadb.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: 'profiles', rows, params: { importRows, lookupCount, distinctAddresses: distinct, cacheSize: 10_000 } };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.table(result.rows);
  console.log(result.params);
}
