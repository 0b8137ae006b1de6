import type { DataSource, QueryRunner } from 'typeorm';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { compileQuery, type QueryParams } from '../query/compile-query.js';
import { queryBuilder, type QueryBuilder } from '../query/query-builder.js';
import type { QueryExpression } from '../query/query-expression.js';
import { PROFILE_NAME_COLUMN } from '../specification/scan-profile-specification.js';
import type { ProfileRecord } from './profile-record.js';
import { recordFromRow, selectList } from './profile-rows.js';
import type { ProfileTableInfo } from './profile-table-info.js';
import type { SqlDialect } from './sql-dialect.js';

/** The profile store's reads: by name, by address, static and dynamic queries, pages, names and counts, all in SQL. */
export class ProfileReads {
  private readonly q: (id: string) => string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly dialect: SqlDialect,
    private readonly tableInfo: (table: string) => ProfileTableInfo,
  ) {
    this.q = dialect.quote;
  }

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

  /** One profile by name, in a query runner's transaction when writing (`lock`: FOR UPDATE where the database has it). */
  async fetch(runner: DataSource | QueryRunner, info: ProfileTableInfo, name: string, lock = false): Promise<ProfileRecord | undefined> {
    const rows: Record<string, unknown>[] = await runner.query(
      `SELECT ${selectList(info.spec, this.dialect)} FROM ${this.q(info.sqlTable)} WHERE ${this.q(PROFILE_NAME_COLUMN)} = ?${lock ? this.dialect.forUpdate : ''}`,
      [name],
    );
    return rows[0] ? recordFromRow(info.name, info.spec, rows[0]) : undefined;
  }
}
