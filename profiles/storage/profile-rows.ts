import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import { PROFILE_NAME_COLUMN } from '../specification/scan-profile-specification.js';
import { fromColumn } from './column-codec.js';
import type { ProfileRecord } from './profile-record.js';
import type { SqlDialect } from './sql-dialect.js';

/** The SELECT list for a profile table: name plus every attribute, bigints read as text. */
export function selectList(spec: ProfileSpecificationModel, dialect: SqlDialect): string {
  const cols = spec.attributes.map((a) =>
    a.kind === 'bigint' && !a.array ? `${dialect.bigintAsText(dialect.quote(a.name))} AS ${dialect.quote(a.name)}` : dialect.quote(a.name),
  );
  return [dialect.quote(PROFILE_NAME_COLUMN), ...cols].join(', ');
}

/** A result row → a read-only profile record. */
export function recordFromRow(table: string, spec: ProfileSpecificationModel, row: Record<string, unknown>): ProfileRecord {
  const values: Record<string, unknown> = {};
  for (const attr of spec.attributes) {
    const v = fromColumn(attr, row[attr.name]);
    values[attr.name] = Array.isArray(v) ? Object.freeze(v) : v;
  }
  return Object.freeze({ table, name: String(row[PROFILE_NAME_COLUMN]), values: Object.freeze(values) });
}
