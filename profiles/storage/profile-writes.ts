import type { QueryRunner } from 'typeorm';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import type { AttributeModel } from '../specification/attribute-model.js';
import { PROFILE_NAME_COLUMN, PROFILE_VERSION_COLUMN } from '../specification/scan-profile-specification.js';
import { toColumn } from './column-codec.js';
import type { PreparedProfileWrites } from './prepared-profile-writes.js';
import type { ProfileChange } from './profile-change.js';
import { withDefaults } from './profile-defaults.js';
import type { ProfileListeners } from './profile-listeners.js';
import { checkProfileName } from './profile-name.js';
import type { ProfileReads } from './profile-reads.js';
import type { ProfileRecord } from './profile-record.js';
import type { ProfileTableInfo } from './profile-table-info.js';
import type { ProfileWrite } from './profile-write.js';
import type { ProfileWriteTransforms } from './profile-write-transforms.js';
import { versionOf } from './record-version.js';
import type { SqlDialect } from './sql-dialect.js';
import type { StoreTransactions } from './store-transactions.js';
import { uniqueError } from './unique-violation-error.js';
import { validateProfileValues } from './value-validation.js';
import { conflictError } from './write-conflict-error.js';

/**
 * Profile creation, update and removal. Every write checks the values against
 * the table's spec and unique attributes, and an update or removal the
 * profile's version; changes are published once they commit.
 */
export class ProfileWrites {
  private readonly q: (id: string) => string;

  constructor(
    private readonly dialect: SqlDialect,
    private readonly transactions: StoreTransactions,
    private readonly tableInfo: (table: string) => ProfileTableInfo,
    private readonly reads: ProfileReads,
    private readonly transforms: ProfileWriteTransforms,
    private readonly listeners: ProfileListeners,
  ) {
    this.q = dialect.quote;
  }

  /** Applies writes atomically and publishes their changes; returns the changes. */
  async apply(writes: readonly ProfileWrite[]): Promise<readonly ProfileChange[]> {
    const prepared = await this.prepare(writes);
    await prepared.commit();
    return prepared.changes;
  }

  /**
   * Applies writes in an open database transaction and leaves the outcome to
   * the caller (the SBB transaction participant). Throws, having rolled back,
   * if any write is invalid or finds its profile changed since it was read
   * (PROFILE_WRITE_CONFLICT). Holds the write lock until settled.
   */
  async prepare(writes: readonly ProfileWrite[]): Promise<PreparedProfileWrites> {
    const changes: ProfileChange[] = [];
    const settle = await this.transactions.prepare(async (qr) => {
      for (const w of writes) {
        const change = await this.applyWrite(qr, w);
        if (change) changes.push(change);
      }
    });
    return {
      changes,
      commit: async () => {
        if (await settle(true)) for (const c of changes) this.listeners.emit(c);
      },
      rollback: async () => {
        await settle(false);
      },
    };
  }

  private async applyWrite(qr: QueryRunner, w: ProfileWrite): Promise<ProfileChange | undefined> {
    const info = this.tableInfo(w.table);
    const spec = info.spec;
    const table = this.q(info.sqlTable);
    const key = this.q(PROFILE_NAME_COLUMN);
    if (w.kind === 'create') {
      checkProfileName(w.name);
      const given = this.transforms.apply(w.table, w.values, undefined);
      validateProfileValues(spec, given, false);
      const values = withDefaults(info, given);
      validateProfileValues(spec, values, true);
      if (await this.reads.fetch(qr, info, w.name)) {
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
    const before = await this.reads.fetch(qr, info, w.name, true);
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
    const changes = this.transforms.apply(w.table, w.changes, before.values);
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
}

function freezeRecord(table: string, name: string, values: Record<string, unknown>): ProfileRecord {
  return Object.freeze({ table, name, values: Object.freeze({ ...values }) });
}
