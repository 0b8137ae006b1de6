import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The better-sqlite3 module to use. better-sqlite3 12 (the last line that
 * runs on Node 20) aborts on Node 24 when its statements are collected
 * (`RemoveEnvironmentCleanupHook: (env) != nullptr`); 13 fixes that but needs
 * Node 22. Both are installed where they build: 13 under the alias
 * `better-sqlite3-node22` as an optional dependency. Undefined means
 * TypeORM's default, `better-sqlite3`.
 */
export function sqliteDriver(): unknown {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) return undefined;
  try {
    return require('better-sqlite3-node22');
  } catch {
    return undefined;
  }
}
