import type { DataSource } from 'typeorm';
import type { QueryParams } from '../query/compile-query.js';
import type { QueryBuilder } from '../query/query-builder.js';
import type { QueryExpression } from '../query/query-expression.js';
import { createDataSource } from './create-data-source.js';
import type { ImportProgress } from './import-progress.js';
import type { PreparedProfileWrites } from './prepared-profile-writes.js';
import type { ProfileChange, ProfileChangeListener, ProfileTableChangeListener } from './profile-change.js';
import type { ProfileImportRow } from './profile-import-row.js';
import { importProfiles } from './profile-import.js';
import { ProfileListeners } from './profile-listeners.js';
import { ProfileReads } from './profile-reads.js';
import type { ProfileRecord } from './profile-record.js';
import type { ProfileSpecInput } from './profile-spec-input.js';
import type { ProfileStoreOptions } from './profile-store-options.js';
import type { ProfileTableInfo } from './profile-table-info.js';
import { ProfileTables } from './profile-tables.js';
import type { ProfileWrite } from './profile-write.js';
import type { ProfileWriteTransform } from './profile-write-transform.js';
import { ProfileWriteTransforms } from './profile-write-transforms.js';
import { ProfileWrites } from './profile-writes.js';
import { dialectFor, type SqlDialect } from './sql-dialect.js';
import { StoreTransactions } from './store-transactions.js';
import { CATALOGUE_TABLE } from './profile-catalogue.js';

/** What `externalChanges` needs of better-sqlite3's connection, which TypeORM's driver holds. */
interface SqliteConnection {
  prepare(sql: string): { pluck(): { get(): unknown } };
}

/**
 * Profile tables and profiles on a TypeORM DataSource (SQLite or MySQL/MariaDB).
 * Every profile table is a real SQL table with one column per attribute and
 * real indexes; queries run in SQL. Writes are serialised in-process and
 * published to change listeners after they commit. Every profile carries a
 * version, bumped by each write, so a writer can require that the profile
 * is still as it read it (`expectedVersion`).
 *
 * A facade over one class per concern: `ProfileTables` (definitions),
 * `ProfileReads` (reads and queries), `ProfileWrites` (create, update,
 * remove), `importProfiles` (bulk import), `ProfileListeners`,
 * `ProfileWriteTransforms` and `StoreTransactions`.
 */
export class ProfileStore {
  private readonly transactions: StoreTransactions;
  private readonly listeners = new ProfileListeners();
  private readonly transforms = new ProfileWriteTransforms();
  private readonly tables: ProfileTables;
  private readonly reads: ProfileReads;
  private readonly writes: ProfileWrites;
  private dataVersion?: { get(): unknown };

  private constructor(
    readonly dataSource: DataSource,
    private readonly dialect: SqlDialect,
  ) {
    this.transactions = new StoreTransactions(dataSource, dialect.kind === 'sqlite' ? `DELETE FROM ${dialect.quote(CATALOGUE_TABLE)} WHERE 0` : undefined);
    this.tables = new ProfileTables(dialect, this.transactions, this.listeners, this.transforms);
    this.reads = new ProfileReads(dataSource, dialect, (table) => this.tables.info(table));
    this.writes = new ProfileWrites(dialect, this.transactions, (table) => this.tables.info(table), this.reads, this.transforms, this.listeners);
  }

  static async open(options: ProfileStoreOptions = {}): Promise<ProfileStore> {
    const dataSource = await createDataSource(options).initialize();
    const store = new ProfileStore(dataSource, dialectFor(dataSource));
    try {
      await store.transactions.withQueryRunner(async (qr) => {
        // Deleted and overwritten values are zeroed in the file rather than left in free space.
        if (store.dialect.kind === 'sqlite') await qr.query('PRAGMA secure_delete = ON');
        await store.tables.load(qr);
      });
    } catch (err) {
      await dataSource.destroy();
      throw err;
    }
    return store;
  }

  get backend(): 'sqlite' | 'mysql' {
    return this.dialect.kind;
  }

  /**
   * A number that moves whenever another connection (another process) has
   * committed to the database since it was last read: SQLite's `PRAGMA
   * data_version`, a few microseconds on a prepared statement. Undefined
   * where the store cannot tell as cheaply (MySQL/MariaDB).
   */
  externalChanges(): number | undefined {
    if (this.dialect.kind !== 'sqlite') return undefined;
    if (this.dataVersion === undefined) {
      const connection = (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
      this.dataVersion = connection.prepare('PRAGMA data_version').pluck();
    }
    return this.dataVersion.get() as number;
  }

  close(): Promise<void> {
    return this.transactions.locked(() => this.dataSource.destroy());
  }

  /**
   * SQLite: copies committed pages from the WAL into the database file and
   * empties the WAL, so (with secure_delete, on from open) overwritten
   * values are gone from both files. MySQL/MariaDB: nothing; InnoDB's own
   * logs and free pages are the server's business.
   */
  async eraseFreedSpace(): Promise<void> {
    if (this.dialect.kind !== 'sqlite') return;
    await this.transactions.locked(() => this.dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)'));
  }

  /** Registers a listener for committed profile changes; returns an unsubscribe function. */
  onChange(listener: ProfileChangeListener): () => void {
    return this.listeners.onChange(listener);
  }

  onTableChange(listener: ProfileTableChangeListener): () => void {
    return this.listeners.onTableChange(listener);
  }

  /** Sets (or, with undefined, removes) the transform every write to a table goes through, imports included. */
  setWriteTransform(table: string, transform: ProfileWriteTransform | undefined): void {
    this.transforms.set(table, transform);
  }

  // ---- tables: see ProfileTables ----

  listTables(): ProfileTableInfo[] {
    return this.tables.list();
  }

  hasTable(name: string): boolean {
    return this.tables.has(name);
  }

  tableInfo(name: string): ProfileTableInfo {
    return this.tables.info(name);
  }

  /** Reloads the catalogue, to see tables another process created on a shared database. */
  refreshCatalogue(): Promise<void> {
    return this.tables.refresh();
  }

  createTable(name: string, spec: ProfileSpecInput, options: { defaults?: Record<string, unknown> } = {}): Promise<ProfileTableInfo> {
    return this.tables.create(name, spec, options);
  }

  /** Creates the table if missing, otherwise upgrades it to the spec (see `upgradeTable`). */
  openTable(name: string, spec: ProfileSpecInput): Promise<ProfileTableInfo> {
    return this.tables.open(name, spec);
  }

  /** Schema evolution: moves a table to a newer version of its spec, keeping its data; see ProfileTables.upgrade. */
  upgradeTable(name: string, spec: ProfileSpecInput): Promise<{ addedAttributes: string[] }> {
    return this.tables.upgrade(name, spec);
  }

  removeTable(name: string): Promise<void> {
    return this.tables.remove(name);
  }

  /** Renames the profile table; the SQL table keeps its name, only the catalogue changes. */
  renameTable(from: string, to: string): Promise<void> {
    return this.tables.rename(from, to);
  }

  getDefaultProfile(table: string): Readonly<Record<string, unknown>> {
    return this.tables.info(table).defaultProfile;
  }

  /** Changes the table's default profile (merged into it); affects profiles created afterwards. */
  setDefaultProfile(table: string, changes: Readonly<Record<string, unknown>>): Promise<void> {
    return this.tables.setDefaultProfile(table, changes);
  }

  // ---- reads: see ProfileReads ----

  getProfile(table: string, name: string): Promise<ProfileRecord | undefined> {
    return this.reads.getProfile(table, name);
  }

  /** The profile whose address attribute equals `address` (JSLEE address profile). */
  findByAddress(table: string, address: string): Promise<ProfileRecord | undefined> {
    return this.reads.findByAddress(table, address);
  }

  /** Runs a static query declared on the table's spec with `@ProfileQuery`. */
  query(table: string, queryName: string, params: QueryParams = {}): Promise<ProfileRecord[]> {
    return this.reads.query(table, queryName, params);
  }

  /** Runs a dynamic query, ordered by profile name (longestPrefixMatch yields at most one profile). */
  find(table: string, query: QueryExpression | ((q: QueryBuilder) => QueryExpression), params: QueryParams = {}): Promise<ProfileRecord[]> {
    return this.reads.find(table, query, params);
  }

  /** One page of profiles in name order, after `after` (keyset paging, for exports and listings). */
  pageProfiles(table: string, options: { after?: string; limit: number }): Promise<ProfileRecord[]> {
    return this.reads.pageProfiles(table, options);
  }

  listProfileNames(table: string, options: { after?: string; limit?: number } = {}): Promise<string[]> {
    return this.reads.listProfileNames(table, options);
  }

  countProfiles(table: string): Promise<number> {
    return this.reads.countProfiles(table);
  }

  // ---- writes: see ProfileWrites ----

  /** Creates a profile from the table's defaults overlaid with `values`. */
  async createProfile(table: string, name: string, values: Readonly<Record<string, unknown>> = {}): Promise<ProfileRecord> {
    const [change] = await this.writes.apply([{ kind: 'create', table, name, values }]);
    return (change as Extract<ProfileChange, { kind: 'added' }>).after;
  }

  async updateProfile(table: string, name: string, changes: Readonly<Record<string, unknown>>): Promise<ProfileRecord> {
    const [change] = await this.writes.apply([{ kind: 'update', table, name, changes }]);
    return change ? (change as Extract<ProfileChange, { kind: 'updated' }>).after : (await this.getProfile(table, name))!;
  }

  async removeProfile(table: string, name: string): Promise<void> {
    await this.writes.apply([{ kind: 'remove', table, name }]);
  }

  /** Applies writes atomically and publishes their changes; returns the changes. */
  applyWrites(writes: readonly ProfileWrite[]): Promise<readonly ProfileChange[]> {
    return this.writes.apply(writes);
  }

  /** Applies writes in an open database transaction and leaves the outcome to the caller; see ProfileWrites.prepare. */
  prepareWrites(writes: readonly ProfileWrite[]): Promise<PreparedProfileWrites> {
    return this.writes.prepare(writes);
  }

  /**
   * Bulk insert in one transaction: all rows or none. Rows are validated first;
   * then inserted in multi-row statements. A rejected row raises PROFILE_IMPORT
   * whose details are a RejectedRow (line, attribute, reason).
   */
  insertMany(
    table: string,
    rows: readonly ProfileImportRow[],
    options: { onProgress?: (progress: ImportProgress) => void; batchSize?: number } = {},
  ): Promise<number> {
    return importProfiles(
      {
        dialect: this.dialect,
        tableInfo: (name) => this.tables.info(name),
        transformed: (name, values) => this.transforms.apply(name, values, undefined),
        inTransaction: (fn) => this.transactions.inTransaction(fn),
        emit: (change) => this.listeners.emit(change),
      },
      table,
      rows,
      options,
    );
  }
}
