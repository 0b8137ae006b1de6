import type { ProfileChange } from './profile-change.js';

/**
 * Profile writes applied inside an open database transaction, waiting for the
 * SLEE transaction's outcome. Holds the store's write lock until settled.
 */
export interface PreparedProfileWrites {
  /** The changes that commit() will publish. */
  readonly changes: readonly ProfileChange[];
  commit(): Promise<void>;
  rollback(): Promise<void>;
}
