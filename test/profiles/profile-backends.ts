import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileStore } from '../../profiles/index.js';

export const MARIADB_URL = 'mysql://root@127.0.0.1:3306/test';

export interface ProfileBackend {
  readonly name: string;
  readonly url: string;
  /** Opens a store, or explains why the backend is unavailable. */
  open(): Promise<ProfileStore | { unavailable: string }>;
  cleanup(): void;
}

export function sqliteBackend(): ProfileBackend {
  const dir = mkdtempSync(join(tmpdir(), 'sleet-profiles-'));
  const url = join(dir, 'profiles.sqlite');
  return {
    name: 'SQLite',
    url,
    open: () => ProfileStore.open({ url }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function mariadbBackend(): ProfileBackend {
  return {
    name: 'MariaDB',
    url: MARIADB_URL,
    async open() {
      try {
        return await ProfileStore.open({ url: MARIADB_URL });
      } catch (err) {
        // Under CI the server is part of the environment: its absence is a failure, not a skip.
        if (process.env.CI === 'true') throw err;
        return { unavailable: `MariaDB not reachable at ${MARIADB_URL}: ${(err as Error).message}` };
      }
    },
    cleanup: () => undefined,
  };
}

export function uniqueTableName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
}
