import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import mysql from 'mysql2/promise';

const ADMIN_URL = process.env.SLEET_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * A database of its own for one test, which the nodes of a test cluster
 * share for profiles and registrations; null (and the test skipped) when
 * MariaDB is not reachable, except under CI=true where that fails.
 */
export async function scratchDatabase(t: TestContext): Promise<string | null> {
  const name = `sleet_cluster_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let admin;
  try {
    admin = await mysql.createConnection(ADMIN_URL);
  } catch (err) {
    const message = `MariaDB not reachable at ${ADMIN_URL}: ${(err as Error).message}`;
    if (process.env.CI === 'true') assert.fail(message);
    t.skip(message);
    return null;
  }
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  t.after(async () => {
    const conn = await mysql.createConnection(ADMIN_URL);
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.end();
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
