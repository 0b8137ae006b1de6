import type { QueryRunner } from 'typeorm';
import type { SleetError } from '../../base/errors/sleet-error.js';
import type { AttributeModel } from '../specification/attribute-model.js';
import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import { PROFILE_NAME_COLUMN } from '../specification/scan-profile-specification.js';
import { toColumn } from './column-codec.js';
import { MAX_LISTED_REJECTIONS, rejectRow, rejectRows } from './import-error.js';
import type { ImportProgress } from './import-progress.js';
import type { ProfileChange } from './profile-change.js';
import { withDefaults } from './profile-defaults.js';
import type { ProfileImportRow } from './profile-import-row.js';
import { checkProfileName } from './profile-name.js';
import type { ProfileTableInfo } from './profile-table-info.js';
import type { RejectedRow } from './rejected-row.js';
import type { SqlDialect } from './sql-dialect.js';
import { validateProfileValues } from './value-validation.js';

// Stay well under SQLite's and MySQL's bound-parameter limits.
const MAX_PARAMS_PER_STATEMENT = 30_000;

/** What a bulk import needs of the profile store: its tables, write transforms, serialised transactions and listeners. */
interface ImportStore {
  readonly dialect: SqlDialect;
  tableInfo(table: string): ProfileTableInfo;
  transformed(table: string, values: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>>;
  inTransaction<T>(fn: (qr: QueryRunner) => Promise<T>): Promise<T>;
  emit(change: ProfileChange): void;
}

/**
 * The import of many profiles into one table (`ProfileStore.insertMany`), in
 * one transaction: all rows or none. Rows are validated first, every
 * rejection listed; then inserted in multi-row statements. A rejected row
 * raises PROFILE_IMPORT whose details are a RejectedRow (line, attribute, reason).
 */
export async function importProfiles(
  store: ImportStore,
  table: string,
  rows: readonly ProfileImportRow[],
  options: { onProgress?: (progress: ImportProgress) => void; batchSize?: number } = {},
): Promise<number> {
  const info = store.tableInfo(table);
  const spec = info.spec;
  const q = store.dialect.quote;
  const prepared = prepareImportRows(store, info, rows);
  rejectDuplicatesWithin(spec, rows, prepared);
  const columns = [PROFILE_NAME_COLUMN, ...spec.attributes.map((a) => a.name)];
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 500, Math.floor(MAX_PARAMS_PER_STATEMENT / columns.length)));
  const insertHead = `INSERT INTO ${q(info.sqlTable)} (${columns.map(q).join(', ')}) VALUES `;
  const rowPlaceholders = `(${columns.map(() => '?').join(', ')})`;
  const total = rows.length;
  await store.inTransaction(async (qr) => {
    for (let start = 0; start < total; start += batchSize) {
      const end = Math.min(total, start + batchSize);
      await rejectExisting(qr, store.dialect, info, rows, prepared, start, end);
      const params: unknown[] = [];
      for (let i = start; i < end; i++) {
        params.push(rows[i]!.name);
        for (const attr of spec.attributes) params.push(toColumn(attr, prepared[i]![attr.name]));
      }
      try {
        await qr.query(insertHead + new Array(end - start).fill(rowPlaceholders).join(', '), params);
      } catch (err) {
        if (!store.dialect.isUniqueViolation(err)) throw err;
        throw rejectRow({ line: rows[start]!.line, reason: `a row in lines ${rows[start]!.line}–${rows[end - 1]!.line} duplicates an existing profile` }, err);
      }
      options.onProgress?.({ done: end, total });
    }
  });
  for (let i = 0; i < total; i++) {
    const after = Object.freeze({ table, name: rows[i]!.name, values: Object.freeze({ ...prepared[i]! }) });
    store.emit({ kind: 'added', table, profileName: rows[i]!.name, after });
  }
  return total;
}

/** Validates every row, so that a refusal names all the rows to fix (up to a limit), not only the first. */
function prepareImportRows(store: ImportStore, info: ProfileTableInfo, rows: readonly ProfileImportRow[]): Record<string, unknown>[] {
  const rejected: RejectedRow[] = [];
  let total = 0;
  let firstCause: unknown;
  const prepared = rows.map((row) => {
    try {
      return prepareImportRow(store, info, row);
    } catch (err) {
      if (total++ === 0) firstCause = (err as SleetError).cause;
      if (rejected.length < MAX_LISTED_REJECTIONS) rejected.push((err as SleetError).details as RejectedRow);
      return {};
    }
  });
  if (total > 0) throw rejectRows(rejected, total, firstCause);
  return prepared;
}

function prepareImportRow(store: ImportStore, info: ProfileTableInfo, row: ProfileImportRow): Record<string, unknown> {
  try {
    checkProfileName(row.name);
    const given = store.transformed(info.name, row.values);
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

function rejectDuplicatesWithin(spec: ProfileSpecificationModel, rows: readonly ProfileImportRow[], values: Record<string, unknown>[]): void {
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
async function rejectExisting(
  qr: QueryRunner,
  dialect: SqlDialect,
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
    const col = dialect.quote(column);
    const found: Record<string, unknown>[] = await qr.query(
      `SELECT ${attr?.kind === 'bigint' ? dialect.bigintAsText(col) : col} AS k FROM ${dialect.quote(info.sqlTable)} WHERE ${col} IN (${keys.map(() => '?').join(', ')}) LIMIT 1`,
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
