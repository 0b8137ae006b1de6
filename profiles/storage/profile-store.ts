import { randomBytes } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { ErrorCode } from '../../slee/errors/error-codes.js';
import { SleetError } from '../../slee/errors/sleet-error.js';
import { compileQuery, type QueryParams } from '../query/compile-query.js';
import { queryBuilder, type QueryBuilder } from '../query/query-builder.js';
import type { QueryExpression } from '../query/query-expression.js';
import type { AttributeModel } from '../specification/attribute-model.js';
import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import { PROFILE_NAME_COLUMN, PROFILE_VERSION_COLUMN, scanProfileSpecification } from '../specification/scan-profile-specification.js';
import { toColumn } from './column-codec.js';
import { createDataSource } from './create-data-source.js';
import type { PreparedProfileWrites } from './prepared-profile-writes.js';
import { ProfileCatalogue } from './profile-catalogue.js';
import type { ProfileChange, ProfileChangeListener, ProfileTableChange, ProfileTableChangeListener } from './profile-change.js';
import type { ProfileRecord } from './profile-record.js';
import { recordFromRow, selectList } from './profile-rows.js';
import type { ProfileStoreOptions } from './profile-store-options.js';
import type { ProfileTableInfo } from './profile-table-info.js';
import { attributeColumn, attributeIndex, profileTableSchema } from './profile-table-schema.js';
import type { ProfileWrite } from './profile-write.js';
import { dialectFor, type SqlDialect } from './sql-dialect.js';
import { validateProfileValues, validationError } from './value-validation.js';
import { WriteLock } from './write-lock.js';
import { withDefaults } from './profile-defaults.js';
import { rejectRow } from './import-error.js';
import { versionOf } from './record-version.js';

/** A spec class decorated with `@ProfileSpec`, or an already scanned model. */
export type ProfileSpecInput = Function | ProfileSpecificationModel;

/** A row for `insertMany`: `line` is where it came from, for error reports. */
export interface ProfileImportRow {
  readonly line: number;
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * Rewrites the values of a write to a table before they are validated and
 * stored: a create's values (`before` undefined) or an update's changes
 * (`before` the stored values). For attributes that must never be stored as
 * given, such as a password kept only as hashes.
 */
export type ProfileWriteTransform = (values: Readonly<Record<string, unknown>>, before: Readonly<Record<string, unknown>> | undefined) => Record<string, unknown>;

export interface ImportProgress {
  readonly done: number;
  readonly total: number;
}

/** Where and why an imported row was rejected. */
export interface RejectedRow {
  readonly line: number;
  readonly profileName?: string;
  readonly attribute?: string;
  readonly reason: string;
}

const MAX_NAME_LENGTH = 255;
// Stay well under SQLite's and MySQL's bound-parameter limits.
const MAX_PARAMS_PER_STATEMENT = 30_000;

function toModel(spec: ProfileSpecInput): ProfileSpecificationModel {
  return typeof spec === 'function' ? scanProfileSpecification(spec) : spec;
}

function sqlTableName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30);
  return `sleet_pt_${slug}_${randomBytes(4).toString('hex')}`;
}

/**
 * Profile tables and profiles on a TypeORM DataSource (SQLite or MySQL/MariaDB).
 * Every profile table is a real SQL table with one column per attribute and
 * real indexes; queries run in SQL. Writes are serialised in-process and
 * published to change listeners after they commit. Every profile carries a
 * version, bumped by each write, so a writer can require that the profile
 * is still as it read it (`expectedVersion`).
 */
export class ProfileStore {
  private readonly tables = new Map<string, ProfileTableInfo>();
  private readonly listeners = new Set<ProfileChangeListener>();
  private readonly tableListeners = new Set<ProfileTableChangeListener>();
  private readonly transforms = new Map<string, ProfileWriteTransform>();
  private readonly lock = new WriteLock();
  /** SQL tables known to have the version column. */
  private readonly versioned = new Set<string>();
  private readonly catalogue: ProfileCatalogue;
  private readonly q: (id: string) => string;

  private constructor(
    readonly dataSource: DataSource,
    private readonly dialect: SqlDialect,
  ) {
    this.catalogue = new ProfileCatalogue(dialect);
    this.q = dialect.quote;
  }

  static async open(options: ProfileStoreOptions = {}): Promise<ProfileStore> {
    const dataSource = await createDataSource(options).initialize();
    const store = new ProfileStore(dataSource, dialectFor(dataSource));
    try {
      await store.withQueryRunner(async (qr) => {
        // Deleted and overwritten values are zeroed in the file rather than left in free space.
        if (store.dialect.kind === 'sqlite') await qr.query('PRAGMA secure_delete = ON');
        await store.catalogue.ensure(qr);
        const infos = await store.catalogue.loadAll(qr);
        await store.addVersionColumns(qr, infos);
        for (const info of infos) store.tables.set(info.name, info);
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

  async close(): Promise<void> {
    const release = await this.lock.acquire();
    try {
      await this.dataSource.destroy();
    } finally {
      release();
    }
  }

  /**
   * SQLite: copies committed pages from the WAL into the database file and
   * empties the WAL, so (with secure_delete, on from open) overwritten
   * values are gone from both files. MySQL/MariaDB: nothing; InnoDB's own
   * logs and free pages are the server's business.
   */
  async eraseFreedSpace(): Promise<void> {
    if (this.dialect.kind !== 'sqlite') return;
    const release = await this.lock.acquire();
    try {
      await this.dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      release();
    }
  }

  /** Registers a listener for committed profile changes; returns an unsubscribe function. */
  onChange(listener: ProfileChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onTableChange(listener: ProfileTableChangeListener): () => void {
    this.tableListeners.add(listener);
    return () => this.tableListeners.delete(listener);
  }

  /** Sets (or, with undefined, removes) the transform every write to a table goes through, imports included. */
  setWriteTransform(table: string, transform: ProfileWriteTransform | undefined): void {
    if (transform === undefined) this.transforms.delete(table);
    else this.transforms.set(table, transform);
  }

  // ---- tables ----

  listTables(): ProfileTableInfo[] {
    return [...this.tables.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  hasTable(name: string): boolean {
    return this.tables.has(name);
  }

  tableInfo(name: string): ProfileTableInfo {
    const info = this.tables.get(name);
    if (!info) {
      throw new SleetError(ErrorCode.PROFILE_TABLE_NOT_FOUND, `profile table '${name}' does not exist`, { details: { table: name } });
    }
    return info;
  }

  /** Reloads the catalogue, to see tables another process created on a shared database. */
  async refreshCatalogue(): Promise<void> {
    const infos = await this.withQueryRunner(async (qr) => {
      const loaded = await this.catalogue.loadAll(qr);
      await this.addVersionColumns(qr, loaded);
      return loaded;
    });
    this.tables.clear();
    for (const info of infos) this.tables.set(info.name, info);
  }

  async createTable(name: string, spec: ProfileSpecInput, options: { defaults?: Record<string, unknown> } = {}): Promise<ProfileTableInfo> {
    const model = toModel(spec);
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
      throw validationError('tableName', `must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
    }
    const defaults = options.defaults ?? {};
    validateProfileValues(model, defaults, false);
    const info: ProfileTableInfo = { name, sqlTable: sqlTableName(name), spec: model, defaultProfile: { ...defaults } };
    await this.inTransaction(async (qr) => {
      if (this.tables.has(name) || (await this.catalogue.load(qr, name))) {
        throw new SleetError(ErrorCode.PROFILE_TABLE_EXISTS, `profile table '${name}' already exists`, { details: { table: name } });
      }
      // MySQL commits DDL implicitly, so create the catalogue row last and drop the table if that fails.
      await qr.createTable(profileTableSchema(info.sqlTable, model, this.dialect), false, false, true);
      try {
        await this.catalogue.insert(qr, info);
      } catch (err) {
        await qr.dropTable(info.sqlTable, true);
        throw err;
      }
    });
    this.tables.set(name, info);
    this.versioned.add(info.sqlTable);
    this.emitTable({ kind: 'tableCreated', table: name });
    return info;
  }

  /** Creates the table if missing, otherwise upgrades it to the spec (see `upgradeTable`). */
  async openTable(name: string, spec: ProfileSpecInput): Promise<ProfileTableInfo> {
    if (!this.tables.has(name)) await this.refreshCatalogue();
    if (!this.tables.has(name)) return this.createTable(name, spec);
    await this.upgradeTable(name, spec);
    return this.tableInfo(name);
  }

  /**
   * Schema evolution: moves a table to a newer version of its spec (same vendor
   * and name). New attributes become new columns, filled with their default on
   * existing profiles; new indexed/unique attributes get their indexes. Existing
   * data is kept. Changing an existing attribute's type is refused.
   */
  async upgradeTable(name: string, spec: ProfileSpecInput): Promise<{ addedAttributes: string[] }> {
    const model = toModel(spec);
    const info = this.tableInfo(name);
    const old = info.spec;
    if (old.vendor !== model.vendor || old.name !== model.name) {
      throw new SleetError(ErrorCode.PROFILE_SPEC_INVALID, `table '${name}' holds ${old.id}, not a version of ${model.id}`, {
        details: { table: name, spec: model.id, current: old.id },
      });
    }
    for (const attr of model.attributes) {
      const before = old.attributes.find((a) => a.name === attr.name);
      if (before && (before.kind !== attr.kind || before.array !== attr.array)) {
        throw new SleetError(
          ErrorCode.PROFILE_SPEC_INVALID,
          `attribute '${attr.name}' changes type from ${before.kind}${before.array ? '[]' : ''} to ${attr.kind}${attr.array ? '[]' : ''}`,
          { details: { table: name, attribute: attr.name } },
        );
      }
    }
    const added = model.attributes.filter((a) => !old.attributes.some((b) => b.name === a.name));
    const newlyIndexed = model.attributes.filter((a) => {
      const before = old.attributes.find((b) => b.name === a.name);
      return a.indexed && (!before || before.indexed !== a.indexed || before.unique !== a.unique);
    });
    // Attributes dropped from the spec keep their column: an upgrade never destroys data.
    const next: ProfileTableInfo = { ...info, spec: model };
    await this.inTransaction(async (qr) => {
      if (added.length > 0) await qr.addColumns(info.sqlTable, added.map((a) => attributeColumn(a, this.dialect)));
      for (const attr of added) {
        if (attr.defaultValue === undefined) continue;
        const version = this.q(PROFILE_VERSION_COLUMN);
        await qr.query(`UPDATE ${this.q(info.sqlTable)} SET ${this.q(attr.name)} = ?, ${version} = ${version} + 1`, [toColumn(attr, attr.defaultValue)]);
      }
      for (const attr of newlyIndexed) {
        const before = old.attributes.find((b) => b.name === attr.name);
        if (before?.indexed) await qr.dropIndex(info.sqlTable, attributeIndex(info.sqlTable, before).name!, true);
        await qr.createIndex(info.sqlTable, attributeIndex(info.sqlTable, attr));
      }
      await this.catalogue.update(qr, next);
    });
    this.tables.set(name, next);
    this.emitTable({ kind: 'tableUpgraded', table: name });
    return { addedAttributes: added.map((a) => a.name) };
  }

  async removeTable(name: string): Promise<void> {
    const info = this.tableInfo(name);
    await this.inTransaction(async (qr) => {
      await this.catalogue.remove(qr, name);
      await qr.dropTable(info.sqlTable, true);
    });
    this.tables.delete(name);
    this.transforms.delete(name);
    this.emitTable({ kind: 'tableRemoved', table: name });
  }

  /** Renames the profile table; the SQL table keeps its name, only the catalogue changes. */
  async renameTable(from: string, to: string): Promise<void> {
    const info = this.tableInfo(from);
    if (typeof to !== 'string' || to.length === 0 || to.length > MAX_NAME_LENGTH) {
      throw validationError('tableName', `must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
    }
    await this.inTransaction(async (qr) => {
      if (this.tables.has(to) || (await this.catalogue.load(qr, to))) {
        throw new SleetError(ErrorCode.PROFILE_TABLE_EXISTS, `profile table '${to}' already exists`, { details: { table: to } });
      }
      await this.catalogue.rename(qr, from, to);
    });
    this.tables.delete(from);
    this.tables.set(to, { ...info, name: to });
    const transform = this.transforms.get(from);
    this.transforms.delete(from);
    if (transform !== undefined) this.transforms.set(to, transform);
    this.emitTable({ kind: 'tableRenamed', table: from, newName: to });
  }

  getDefaultProfile(table: string): Readonly<Record<string, unknown>> {
    return this.tableInfo(table).defaultProfile;
  }

  /** Changes the table's default profile (merged into it); affects profiles created afterwards. */
  async setDefaultProfile(table: string, changes: Readonly<Record<string, unknown>>): Promise<void> {
    const info = this.tableInfo(table);
    validateProfileValues(info.spec, changes, false);
    const next: ProfileTableInfo = { ...info, defaultProfile: { ...info.defaultProfile, ...changes } };
    await this.inTransaction((qr) => this.catalogue.update(qr, next));
    this.tables.set(table, next);
  }

  // ---- reads ----

  async getProfile(table: string, name: string): Promise<ProfileRecord | undefined> {
    const info = this.tableInfo(table);
    return this.fetch(this.dataSource, info, name);
  }

  /** The profile whose address attribute equals `address` (JSLEE address profile). */
  async findByAddress(table: string, address: string): Promise<ProfileRecord | undefined> {
    const info = this.tableInfo(table);
    const attr = info.spec.addressAttribute;
    if (attr === undefined) {
      throw new SleetError(ErrorCode.PROFILE_QUERY_INVALID, `spec ${info.spec.id} of table '${table}' has no address attribute`, {
        details: { table },
      });
    }
    const rows = await this.find(table, queryBuilder.equals(attr, address));
    return rows[0];
  }

  /** Runs a static query declared on the table's spec with `@ProfileQuery`. */
  async query(table: string, queryName: string, params: QueryParams = {}): Promise<ProfileRecord[]> {
    const info = this.tableInfo(table);
    const expr = info.spec.queries[queryName];
    if (!expr) {
      throw new SleetError(ErrorCode.PROFILE_QUERY_INVALID, `spec ${info.spec.id} declares no query '${queryName}'`, {
        details: { table, query: queryName },
      });
    }
    return this.find(table, expr, params);
  }

  /** Runs a dynamic query, ordered by profile name (longestPrefixMatch yields at most one profile). */
  async find(table: string, query: QueryExpression | ((q: QueryBuilder) => QueryExpression), params: QueryParams = {}): Promise<ProfileRecord[]> {
    const info = this.tableInfo(table);
    const expr = typeof query === 'function' ? query(queryBuilder) : query;
    const compiled = compileQuery(info.spec, expr, params, this.q);
    const order = compiled.longestFirst ? `${compiled.longestFirst} DESC LIMIT 1` : this.q(PROFILE_NAME_COLUMN);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${selectList(info.spec, this.dialect)} FROM ${this.q(info.sqlTable)} WHERE ${compiled.where} ORDER BY ${order}`,
      compiled.params,
    );
    return rows.map((r) => recordFromRow(table, info.spec, r));
  }

  /** One page of profiles in name order, after `after` (keyset paging, for exports and listings). */
  async pageProfiles(table: string, options: { after?: string; limit: number }): Promise<ProfileRecord[]> {
    const info = this.tableInfo(table);
    const key = this.q(PROFILE_NAME_COLUMN);
    const where = options.after === undefined ? '' : `WHERE ${key} > ?`;
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${selectList(info.spec, this.dialect)} FROM ${this.q(info.sqlTable)} ${where} ORDER BY ${key} LIMIT ${Math.max(1, Math.floor(options.limit))}`,
      options.after === undefined ? [] : [options.after],
    );
    return rows.map((r) => recordFromRow(table, info.spec, r));
  }

  async listProfileNames(table: string, options: { after?: string; limit?: number } = {}): Promise<string[]> {
    const info = this.tableInfo(table);
    const key = this.q(PROFILE_NAME_COLUMN);
    const where = options.after === undefined ? '' : `WHERE ${key} > ?`;
    const limit = options.limit === undefined ? '' : `LIMIT ${Math.max(1, Math.floor(options.limit))}`;
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${key} FROM ${this.q(info.sqlTable)} ${where} ORDER BY ${key} ${limit}`,
      options.after === undefined ? [] : [options.after],
    );
    return rows.map((r) => String(r[PROFILE_NAME_COLUMN]));
  }

  async countProfiles(table: string): Promise<number> {
    const info = this.tableInfo(table);
    const rows: Array<{ n: unknown }> = await this.dataSource.query(`SELECT COUNT(*) AS n FROM ${this.q(info.sqlTable)}`);
    return Number(rows[0]!.n);
  }

  // ---- writes ----

  /** Creates a profile from the table's defaults overlaid with `values`. */
  async createProfile(table: string, name: string, values: Readonly<Record<string, unknown>> = {}): Promise<ProfileRecord> {
    const [change] = await this.applyWrites([{ kind: 'create', table, name, values }]);
    return (change as Extract<ProfileChange, { kind: 'added' }>).after;
  }

  async updateProfile(table: string, name: string, changes: Readonly<Record<string, unknown>>): Promise<ProfileRecord> {
    const [change] = await this.applyWrites([{ kind: 'update', table, name, changes }]);
    return change ? (change as Extract<ProfileChange, { kind: 'updated' }>).after : (await this.getProfile(table, name))!;
  }

  async removeProfile(table: string, name: string): Promise<void> {
    await this.applyWrites([{ kind: 'remove', table, name }]);
  }

  /** Applies writes atomically and publishes their changes; returns the changes. */
  async applyWrites(writes: readonly ProfileWrite[]): Promise<readonly ProfileChange[]> {
    const prepared = await this.prepareWrites(writes);
    await prepared.commit();
    return prepared.changes;
  }

  /**
   * Applies writes in an open database transaction and leaves the outcome to
   * the caller (the SBB transaction participant). Throws, having rolled back,
   * if any write is invalid or finds its profile changed since it was read
   * (PROFILE_WRITE_CONFLICT). Holds the write lock until settled.
   */
  async prepareWrites(writes: readonly ProfileWrite[]): Promise<PreparedProfileWrites> {
    const release = await this.lock.acquire();
    const qr = this.dataSource.createQueryRunner();
    const changes: ProfileChange[] = [];
    let settled = false;
    try {
      await qr.connect();
      await qr.startTransaction();
      for (const w of writes) {
        const change = await this.applyWrite(qr, w);
        if (change) changes.push(change);
      }
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      await qr.release();
      release();
      throw err;
    }
    const settle = async (commit: boolean) => {
      if (settled) return;
      settled = true;
      try {
        if (commit) await qr.commitTransaction();
        else await qr.rollbackTransaction();
      } catch (err) {
        // A refused COMMIT (SQLite: a deferred constraint) leaves the transaction open on the connection.
        if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
        throw err;
      } finally {
        await qr.release();
        release();
      }
      if (commit) for (const c of changes) this.emit(c);
    };
    return { changes, commit: () => settle(true), rollback: () => settle(false) };
  }

  /**
   * Bulk insert in one transaction: all rows or none. Rows are validated first;
   * then inserted in multi-row statements. A rejected row raises PROFILE_IMPORT
   * whose details are a RejectedRow (line, attribute, reason).
   */
  async insertMany(
    table: string,
    rows: readonly ProfileImportRow[],
    options: { onProgress?: (progress: ImportProgress) => void; batchSize?: number } = {},
  ): Promise<number> {
    const info = this.tableInfo(table);
    const spec = info.spec;
    const prepared = rows.map((row) => this.prepareImportRow(info, row));
    this.rejectDuplicatesWithin(spec, rows, prepared);
    const columns = [PROFILE_NAME_COLUMN, ...spec.attributes.map((a) => a.name)];
    const batchSize = Math.max(1, Math.min(options.batchSize ?? 500, Math.floor(MAX_PARAMS_PER_STATEMENT / columns.length)));
    const insertHead = `INSERT INTO ${this.q(info.sqlTable)} (${columns.map(this.q).join(', ')}) VALUES `;
    const rowPlaceholders = `(${columns.map(() => '?').join(', ')})`;
    const total = rows.length;
    await this.inTransaction(async (qr) => {
      for (let start = 0; start < total; start += batchSize) {
        const end = Math.min(total, start + batchSize);
        await this.rejectExisting(qr, info, rows, prepared, start, end);
        const params: unknown[] = [];
        for (let i = start; i < end; i++) {
          params.push(rows[i]!.name);
          for (const attr of spec.attributes) params.push(toColumn(attr, prepared[i]![attr.name]));
        }
        try {
          await qr.query(insertHead + new Array(end - start).fill(rowPlaceholders).join(', '), params);
        } catch (err) {
          if (!this.dialect.isUniqueViolation(err)) throw err;
          throw rejectRow({ line: rows[start]!.line, reason: `a row in lines ${rows[start]!.line}–${rows[end - 1]!.line} duplicates an existing profile` }, err);
        }
        options.onProgress?.({ done: end, total });
      }
    });
    for (let i = 0; i < total; i++) {
      const after = Object.freeze({ table, name: rows[i]!.name, values: Object.freeze({ ...prepared[i]! }) });
      this.emit({ kind: 'added', table, profileName: rows[i]!.name, after });
    }
    return total;
  }

  // ---- internals ----

  private prepareImportRow(info: ProfileTableInfo, row: ProfileImportRow): Record<string, unknown> {
    try {
      checkProfileName(row.name);
      const given = this.transformed(info.name, row.values, undefined);
      validateProfileValues(info.spec, given, false);
      const values = withDefaults(info, given);
      validateProfileValues(info.spec, values, true);
      return values;
    } catch (err) {
      const details = (err as SleetError).details as { attribute?: string; reason?: string } | undefined;
      throw rejectRow(
        { line: row.line, profileName: row.name, attribute: details?.attribute ?? 'profileName', reason: details?.reason ?? (err as Error).message },
        err,
      );
    }
  }

  private rejectDuplicatesWithin(spec: ProfileSpecificationModel, rows: readonly ProfileImportRow[], values: Record<string, unknown>[]): void {
    const seenNames = new Map<string, number>();
    rows.forEach((row) => {
      const first = seenNames.get(row.name);
      if (first !== undefined) {
        throw rejectRow({ line: row.line, profileName: row.name, attribute: 'profileName', reason: `duplicates the profile name on line ${first}` });
      }
      seenNames.set(row.name, row.line);
    });
    for (const attr of spec.attributes.filter((a) => a.unique)) {
      const seen = new Map<string, number>();
      rows.forEach((row, i) => {
        const v = values[i]![attr.name];
        if (v === null || v === undefined) return;
        const key = String(toColumn(attr, v));
        const first = seen.get(key);
        if (first !== undefined) {
          throw rejectRow({ line: row.line, profileName: row.name, attribute: attr.name, reason: `value is not unique (also on line ${first})` });
        }
        seen.set(key, row.line);
      });
    }
  }

  /** Finds rows of a batch that clash with stored profiles, so the report can name line and attribute. */
  private async rejectExisting(
    qr: QueryRunner,
    info: ProfileTableInfo,
    rows: readonly ProfileImportRow[],
    values: Record<string, unknown>[],
    start: number,
    end: number,
  ): Promise<void> {
    const checks: Array<{ column: string; attr?: AttributeModel }> = [
      { column: PROFILE_NAME_COLUMN },
      ...info.spec.attributes.filter((a) => a.unique).map((a) => ({ column: a.name, attr: a })),
    ];
    for (const { column, attr } of checks) {
      const byKey = new Map<string, number>();
      const keys: unknown[] = [];
      for (let i = start; i < end; i++) {
        const v = attr ? toColumn(attr, values[i]![attr.name]) : rows[i]!.name;
        if (v === null) continue;
        byKey.set(String(v), i);
        keys.push(v);
      }
      if (keys.length === 0) continue;
      const col = this.q(column);
      const found: Record<string, unknown>[] = await qr.query(
        `SELECT ${attr?.kind === 'bigint' ? this.dialect.bigintAsText(col) : col} AS k FROM ${this.q(info.sqlTable)} WHERE ${col} IN (${keys.map(() => '?').join(', ')}) LIMIT 1`,
        keys,
      );
      if (found.length === 0) continue;
      const i = byKey.get(String(found[0]!.k)) ?? start;
      throw rejectRow({
        line: rows[i]!.line,
        profileName: rows[i]!.name,
        attribute: attr ? attr.name : 'profileName',
        reason: attr ? 'value is not unique (an existing profile has it)' : 'a profile with this name already exists',
      });
    }
  }

  private async applyWrite(qr: QueryRunner, w: ProfileWrite): Promise<ProfileChange | undefined> {
    const info = this.tableInfo(w.table);
    const spec = info.spec;
    const table = this.q(info.sqlTable);
    const key = this.q(PROFILE_NAME_COLUMN);
    if (w.kind === 'create') {
      checkProfileName(w.name);
      const given = this.transformed(w.table, w.values, undefined);
      validateProfileValues(spec, given, false);
      const values = withDefaults(info, given);
      validateProfileValues(spec, values, true);
      if (await this.fetch(qr, info, w.name)) {
        throw new SleetError(ErrorCode.PROFILE_EXISTS, `profile '${w.name}' already exists in table '${w.table}'`, {
          details: { table: w.table, profileName: w.name },
        });
      }
      await this.checkUnique(qr, info, w.name, values, spec.attributes);
      const cols = [PROFILE_NAME_COLUMN, ...spec.attributes.map((a) => a.name)];
      await this.run(qr, info, w.name, `INSERT INTO ${table} (${cols.map(this.q).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, [
        w.name,
        ...spec.attributes.map((a) => toColumn(a, values[a.name])),
      ]);
      return { kind: 'added', table: w.table, profileName: w.name, after: freezeRecord(w.table, w.name, values) };
    }
    // Locked (MySQL) so the version checked here is the one the write replaces.
    const before = await this.fetch(qr, info, w.name, true);
    if (!before) {
      if (w.expectedVersion !== undefined) throw conflictError(w.table, w.name, w.expectedVersion, undefined);
      throw new SleetError(ErrorCode.PROFILE_NOT_FOUND, `profile '${w.name}' does not exist in table '${w.table}'`, {
        details: { table: w.table, profileName: w.name },
      });
    }
    const version = versionOf(before)!;
    if (w.expectedVersion !== undefined && w.expectedVersion !== version) throw conflictError(w.table, w.name, w.expectedVersion, version);
    const guard = `${key} = ? AND ${this.q(PROFILE_VERSION_COLUMN)} = ?`;
    if (w.kind === 'remove') {
      await this.runGuarded(qr, info, w, version, `DELETE FROM ${table} WHERE ${guard}`, [w.name, version]);
      return { kind: 'removed', table: w.table, profileName: w.name, before };
    }
    const changes = this.transformed(w.table, w.changes, before.values);
    validateProfileValues(spec, changes, false);
    const values = { ...before.values, ...changes };
    validateProfileValues(spec, values, true);
    const changed = spec.attributes.filter((a) => a.name in changes);
    if (changed.length === 0) return undefined;
    await this.checkUnique(qr, info, w.name, values, changed);
    const assignments = [...changed.map((a) => `${this.q(a.name)} = ?`), `${this.q(PROFILE_VERSION_COLUMN)} = ?`].join(', ');
    await this.runGuarded(qr, info, w, version, `UPDATE ${table} SET ${assignments} WHERE ${guard}`, [
      ...changed.map((a) => toColumn(a, values[a.name])),
      version + 1,
      w.name,
      version,
    ]);
    return { kind: 'updated', table: w.table, profileName: w.name, before, after: freezeRecord(w.table, w.name, values) };
  }

  private transformed(table: string, values: Readonly<Record<string, unknown>>, before: Readonly<Record<string, unknown>> | undefined): Readonly<Record<string, unknown>> {
    const transform = this.transforms.get(table);
    return transform === undefined ? values : transform(values, before);
  }

  /** Checked before writing so the error names the attribute; the unique index still guards races. */
  private async checkUnique(
    qr: QueryRunner,
    info: ProfileTableInfo,
    name: string,
    values: Readonly<Record<string, unknown>>,
    attributes: readonly AttributeModel[],
  ): Promise<void> {
    for (const attr of attributes) {
      const v = values[attr.name];
      if (!attr.unique || v === null || v === undefined) continue;
      const rows: Record<string, unknown>[] = await qr.query(
        `SELECT ${this.q(PROFILE_NAME_COLUMN)} AS n FROM ${this.q(info.sqlTable)} WHERE ${this.q(attr.name)} = ? AND ${this.q(PROFILE_NAME_COLUMN)} <> ? LIMIT 1`,
        [toColumn(attr, v), name],
      );
      if (rows.length > 0) throw uniqueError(info.name, name, attr.name, String(rows[0]!.n));
    }
  }

  /** Runs an UPDATE/DELETE guarded by the profile's version; no row touched means another writer got there first. */
  private async runGuarded(qr: QueryRunner, info: ProfileTableInfo, w: ProfileWrite, version: number, sql: string, params: unknown[]): Promise<void> {
    let affected: number | undefined;
    try {
      affected = (await qr.query(sql, params, true)).affected;
    } catch (err) {
      if (this.dialect.isUniqueViolation(err)) throw uniqueError(info.name, w.name, undefined, undefined, err);
      throw err;
    }
    if (affected === 0) throw conflictError(w.table, w.name, version, undefined);
  }

  private async run(qr: QueryRunner, info: ProfileTableInfo, name: string, sql: string, params: unknown[]): Promise<void> {
    try {
      await qr.query(sql, params);
    } catch (err) {
      if (this.dialect.isUniqueViolation(err)) throw uniqueError(info.name, name, undefined, undefined, err);
      throw err;
    }
  }

  private async fetch(runner: DataSource | QueryRunner, info: ProfileTableInfo, name: string, lock = false): Promise<ProfileRecord | undefined> {
    const rows: Record<string, unknown>[] = await runner.query(
      `SELECT ${selectList(info.spec, this.dialect)} FROM ${this.q(info.sqlTable)} WHERE ${this.q(PROFILE_NAME_COLUMN)} = ?${lock ? this.dialect.forUpdate : ''}`,
      [name],
    );
    return rows[0] ? recordFromRow(info.name, info.spec, rows[0]) : undefined;
  }

  /**
   * Schema migration: tables created before profiles had versions get the
   * column, every existing profile at version 0. Safe if another node adds it
   * at the same time.
   */
  private async addVersionColumns(qr: QueryRunner, infos: readonly ProfileTableInfo[]): Promise<void> {
    for (const info of infos) {
      if (this.versioned.has(info.sqlTable)) continue;
      if (!(await qr.hasColumn(info.sqlTable, PROFILE_VERSION_COLUMN))) {
        try {
          await qr.query(`ALTER TABLE ${this.q(info.sqlTable)} ADD COLUMN ${this.q(PROFILE_VERSION_COLUMN)} BIGINT NOT NULL DEFAULT 0`);
        } catch (err) {
          if (!(await qr.hasColumn(info.sqlTable, PROFILE_VERSION_COLUMN))) throw err;
        }
      }
      this.versioned.add(info.sqlTable);
    }
  }

  private async withQueryRunner<T>(fn: (qr: QueryRunner) => Promise<T>): Promise<T> {
    const qr = this.dataSource.createQueryRunner();
    try {
      await qr.connect();
      return await fn(qr);
    } finally {
      await qr.release();
    }
  }

  private async inTransaction<T>(fn: (qr: QueryRunner) => Promise<T>): Promise<T> {
    const release = await this.lock.acquire();
    try {
      return await this.withQueryRunner(async (qr) => {
        await qr.startTransaction();
        try {
          const result = await fn(qr);
          await qr.commitTransaction();
          return result;
        } catch (err) {
          if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
          throw err;
        }
      });
    } finally {
      release();
    }
  }

  private emit(change: ProfileChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (err) {
        process.emitWarning(`profile change listener failed: ${(err as Error).message}`);
      }
    }
  }

  private emitTable(change: ProfileTableChange): void {
    for (const l of this.tableListeners) {
      try {
        l(change);
      } catch (err) {
        process.emitWarning(`profile table listener failed: ${(err as Error).message}`);
      }
    }
  }
}

function checkProfileName(name: unknown): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw validationError('profileName', `must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  }
}

function freezeRecord(table: string, name: string, values: Record<string, unknown>): ProfileRecord {
  return Object.freeze({ table, name, values: Object.freeze({ ...values }) });
}

function conflictError(table: string, profileName: string, read: number, now: number | undefined): SleetError {
  const state = now === undefined ? 'it was removed or changed' : `version ${read}, now ${now}`;
  return new SleetError(
    ErrorCode.PROFILE_WRITE_CONFLICT,
    `profile '${profileName}' in table '${table}' changed since this transaction read it (${state}); the write would lose that update`,
    { details: { table, profileName, readVersion: read, ...(now === undefined ? {} : { currentVersion: now }) } },
  );
}

function uniqueError(table: string, profileName: string, attribute?: string, holder?: string, cause?: unknown): SleetError {
  const message = attribute
    ? `profile '${profileName}' in table '${table}': attribute '${attribute}' must be unique; profile '${holder}' already has that value`
    : `profile '${profileName}' in table '${table}' violates a unique attribute`;
  return new SleetError(ErrorCode.PROFILE_UNIQUE_VIOLATION, message, {
    details: { table, profileName, ...(attribute ? { attribute, conflictsWith: holder } : {}) },
    ...(cause !== undefined ? { cause } : {}),
  });
}
