import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import { PROFILE_NAME_COLUMN, PROFILE_VERSION_COLUMN } from '../specification/scan-profile-specification.js';
import { fromColumn } from './column-codec.js';
import type { ProfileRecord } from './profile-record.js';
import { withVersion } from './record-version.js';
import type { SqlDialect } from './sql-dialect.js';

/** The SELECT list for a profile table: name, version and every attribute, bigints read as text. */
export function selectList(spec: ProfileSpecificationModel, dialect: SqlDialect): string {
  const cols = spec.attributes.map((a) =>
    a.kind === 'bigint' && !a.array ? `${dialect.bigintAsText(dialect.quote(a.name))} AS ${dialect.quote(a.name)}` : dialect.quote(a.name),
  );
  return [dialect.quote(PROFILE_NAME_COLUMN), dialect.quote(PROFILE_VERSION_COLUMN), ...cols].join(', ');
}

/** A result row → a read-only profile record. */
export function recordFromRow(table: string, spec: ProfileSpecificationModel, row: Record<string, unknown>): ProfileRecord {
  const values: Record<string, unknown> = {};
  for (const attr of spec.attributes) {
    const v = fromColumn(attr, row[attr.name]);
    values[attr.name] = Array.isArray(v) ? Object.freeze(v) : v;
  }
  const record = Object.freeze({ table, name: String(row[PROFILE_NAME_COLUMN]), values: Object.freeze(values) });
  return withVersion(record, Number(row[PROFILE_VERSION_COLUMN]));
}
