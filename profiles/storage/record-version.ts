import type { ProfileRecord } from './profile-record.js';

// Kept beside the record rather than in it, so records stay plain { table, name, values }.
const versions = new WeakMap<ProfileRecord, number>();

/** Registers the version a record was read at; returns the record. */
export function withVersion(record: ProfileRecord, version: number): ProfileRecord {
  versions.set(record, version);
  return record;
}

/**
 * The version a record was read at (its profile's count of committed
 * changes), or undefined for records not read from the database (a
 * transaction's own uncommitted writes).
 */
export function versionOf(record: ProfileRecord): number | undefined {
  return versions.get(record);
}
