import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import type { ProfileStoreOptions } from './profile-store-options.js';
import { sqliteDriver } from './sqlite-driver.js';

/** Builds (but does not initialise) the TypeORM DataSource a store URL selects. */
export function createDataSource(options: ProfileStoreOptions): DataSource {
  const url = options.url ?? join(options.dataDir ?? 'data', 'profiles.sqlite');
  const logging = options.logging ?? false;
  if (/^(mysql|mariadb):\/\//.test(url)) {
    return new DataSource({
      type: 'mysql',
      url: url.replace(/^mariadb:/, 'mysql:'),
      charset: 'utf8mb4',
      // BIGINT comes back as text so 64-bit values survive; the codec converts.
      supportBigNumbers: true,
      bigNumberStrings: true,
      logging,
    });
  }
  const database = url.replace(/^sqlite:/, '');
  if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
  const driver = sqliteDriver();
  return new DataSource({ type: 'better-sqlite3', database, enableWAL: database !== ':memory:', logging, ...(driver ? { driver } : {}) });
}
