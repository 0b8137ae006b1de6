import type { QueryParams } from '../query/compile-query.js';
import type { QueryBuilder } from '../query/query-builder.js';
import type { QueryExpression } from '../query/query-expression.js';
import type { ProfileRecord } from '../storage/profile-record.js';
import type { ProfileStore } from '../storage/profile-store.js';
import type { ImportProgress } from '../storage/import-progress.js';
import type { ProfileSpecInput } from '../storage/profile-spec-input.js';
import type { ProfileTableInfo } from '../storage/profile-table-info.js';
import { csvHeader, csvLine, jsonLine } from './format-profiles.js';
import type { ImportInput } from './import-input.js';
import { parseCsvProfiles } from './parse-csv-profiles.js';
import { parseJsonProfiles } from './parse-json-profiles.js';

export type ProfileFileFormat = 'csv' | 'json';

export interface ImportOptions {
  format: ProfileFileFormat;
  /** Called after each inserted batch with rows done / total. */
  onProgress?: (progress: ImportProgress) => void;
  /** Rows per INSERT statement (default 500, capped by the driver's parameter limit). */
  batchSize?: number;
}

export interface ExportOptions {
  format: ProfileFileFormat;
  /** Profiles read per database round trip (default 1,000). */
  pageSize?: number;
}

/**
 * The management API for profiles: tables, profiles, queries, bulk import
 * and export. The REST API and CLI wrap this; every write goes through the
 * store, so change listeners and facility caches see it.
 */
export class ProfileProvisioning {
  constructor(readonly store: ProfileStore) {}

  // ---- tables ----
  createTable(name: string, spec: ProfileSpecInput, options?: { defaults?: Record<string, unknown> }): Promise<ProfileTableInfo> {
    return this.store.createTable(name, spec, options);
  }
  openTable(name: string, spec: ProfileSpecInput): Promise<ProfileTableInfo> {
    return this.store.openTable(name, spec);
  }
  upgradeTable(name: string, spec: ProfileSpecInput): Promise<{ addedAttributes: string[] }> {
    return this.store.upgradeTable(name, spec);
  }
  removeTable(name: string): Promise<void> {
    return this.store.removeTable(name);
  }
  renameTable(from: string, to: string): Promise<void> {
    return this.store.renameTable(from, to);
  }
  listTables(): ProfileTableInfo[] {
    return this.store.listTables();
  }
  getDefaultProfile(table: string): Readonly<Record<string, unknown>> {
    return this.store.getDefaultProfile(table);
  }
  setDefaultProfile(table: string, changes: Readonly<Record<string, unknown>>): Promise<void> {
    return this.store.setDefaultProfile(table, changes);
  }

  // ---- profiles ----
  createProfile(table: string, name: string, values?: Readonly<Record<string, unknown>>): Promise<ProfileRecord> {
    return this.store.createProfile(table, name, values);
  }
  getProfile(table: string, name: string): Promise<ProfileRecord | undefined> {
    return this.store.getProfile(table, name);
  }
  updateProfile(table: string, name: string, changes: Readonly<Record<string, unknown>>): Promise<ProfileRecord> {
    return this.store.updateProfile(table, name, changes);
  }
  removeProfile(table: string, name: string): Promise<void> {
    return this.store.removeProfile(table, name);
  }
  listProfiles(table: string, options?: { after?: string; limit?: number }): Promise<string[]> {
    return this.store.listProfileNames(table, options);
  }
  countProfiles(table: string): Promise<number> {
    return this.store.countProfiles(table);
  }

  // ---- queries ----
  query(table: string, queryName: string, params?: QueryParams): Promise<ProfileRecord[]> {
    return this.store.query(table, queryName, params);
  }
  find(table: string, query: QueryExpression | ((q: QueryBuilder) => QueryExpression), params?: QueryParams): Promise<ProfileRecord[]> {
    return this.store.find(table, query, params);
  }
  findByAddress(table: string, address: string): Promise<ProfileRecord | undefined> {
    return this.store.findByAddress(table, address);
  }

  // ---- bulk ----

  /**
   * Imports new profiles, all or nothing: one database transaction, so a
   * rejected row leaves the table exactly as it was. Rejections raise
   * PROFILE_IMPORT with details `{ line, attribute, reason, profileName }`.
   */
  async importProfiles(table: string, input: ImportInput, options: ImportOptions): Promise<{ imported: number }> {
    const spec = this.store.tableInfo(table).spec;
    const rows = options.format === 'csv' ? await parseCsvProfiles(spec, input) : await parseJsonProfiles(spec, input);
    const imported = await this.store.insertMany(table, rows, {
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    });
    return { imported };
  }

  /** Streams a table as CSV or JSON text, reading it page by page in profile-name order. */
  async *exportProfiles(table: string, options: ExportOptions): AsyncGenerator<string> {
    const spec = this.store.tableInfo(table).spec;
    const pageSize = options.pageSize ?? 1_000;
    yield options.format === 'csv' ? csvHeader(spec) : '[\n';
    let after: string | undefined;
    let first = true;
    for (;;) {
      const page = await this.store.pageProfiles(table, { ...(after !== undefined ? { after } : {}), limit: pageSize });
      if (page.length === 0) break;
      if (options.format === 'csv') yield page.map((r) => csvLine(spec, r)).join('');
      else {
        const parts: string[] = [];
        for (const r of page) {
          parts.push((first ? '' : ',\n') + jsonLine(spec, r));
          first = false;
        }
        yield parts.join('');
      }
      after = page[page.length - 1]!.name;
      if (page.length < pageSize) break;
    }
    if (options.format === 'json') yield first ? ']\n' : '\n]\n';
  }
}
