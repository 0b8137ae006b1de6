import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { sippSkipReason } from '../sip/interop/sipp-runner.js';
import { cdrScenario } from './cdr-scenario.js';

/** A database of its own, so that tests running at the same time never see this one's outage. */
async function freshDatabase(): Promise<{ url: string; admin: Connection; name: string } | { unavailable: string }> {
  let admin: Connection;
  try {
    admin = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    return { unavailable: `MariaDB not reachable at 127.0.0.1:3306: ${(err as Error).message}` };
  }
  const name = `sleet_cdr_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  return { url: `mysql://root@127.0.0.1:3306/${name}`, admin, name };
}

test(
  'CDRs on MariaDB: one per call attempt, queried by REST, CSV, CLI and client, none lost while the table is away',
  { skip: sippSkipReason() },
  async (t) => {
    const db = await freshDatabase();
    if ('unavailable' in db) return t.skip(db.unavailable);
    t.after(async () => {
      await db.admin.query(`DROP DATABASE IF EXISTS ${db.name}`);
      await db.admin.end();
    });
    await cdrScenario(t, 'cdr-mariadb', { profilesUrl: db.url }, () => ({
      begin: async () => void (await db.admin.query(`RENAME TABLE ${db.name}.sleet_cdrs TO ${db.name}.sleet_cdrs_away`)),
      end: async () => void (await db.admin.query(`RENAME TABLE ${db.name}.sleet_cdrs_away TO ${db.name}.sleet_cdrs`)),
    }));
  },
);
