import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import type { ProfileStoreOptions } from './profile-store-options.js';
import { sqliteDriver } from './sqlite-driver.js';
import { profileStoreUrlProblem } from './profile-store-url.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

/** Builds (but does not initialise) the TypeORM DataSource a store URL selects. */
export function createDataSource(options: ProfileStoreOptions): DataSource {
  const url = options.url ?? join(options.dataDir ?? 'data', 'profiles.sqlite');
  const logging = options.logging ?? false;
  const problem = profileStoreUrlProblem(url);
  if (problem !== null) throw new SleetError(ErrorCode.CONFIG_INVALID, problem);
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
  if (database !== ':memory:') makeSqliteFilePrivate(database);
  const driver = sqliteDriver();
  return new DataSource({ type: 'better-sqlite3', database, enableWAL: database !== ':memory:', logging, ...(driver ? { driver } : {}) });
}

/**
 * Profiles hold credentials: the database file is created 0600 before
 * SQLite opens it (SQLite gives its -wal and -shm files the database
 * file's mode), and an existing one and its companions are set to 0600.
 */
function makeSqliteFilePrivate(database: string): void {
  mkdirSync(dirname(database), { recursive: true, mode: 0o700 });
  closeSync(openSync(database, 'a', 0o600));
  for (const path of [database, `${database}-wal`, `${database}-shm`, `${database}-journal`]) {
    try {
      chmodSync(path, 0o600);
    } catch (err) {
      // Missing companions are normal; a file owned by another user keeps its mode.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EPERM') throw err;
    }
  }
}
