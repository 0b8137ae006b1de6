/** How to open a ProfileStore. */
export interface ProfileStoreOptions {
  /**
   * `mysql://user:pass@host:port/db` (or `mariadb://`), an SQLite file path
   * (optionally `sqlite:<path>`), or `:memory:`. Default: `<dataDir>/profiles.sqlite`.
   */
  url?: string;
  /** Directory for the default SQLite file. Default: `./data`. */
  dataDir?: string;
  /** Log SQL through TypeORM's logger. */
  logging?: boolean;
}
