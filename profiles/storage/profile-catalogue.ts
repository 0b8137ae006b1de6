import { Table, TableColumn, type QueryRunner } from 'typeorm';
import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import { fromExternal, toExternal } from './column-codec.js';
import type { ProfileTableInfo } from './profile-table-info.js';
import { specFromJson, specToJson } from './spec-json.js';
import type { SqlDialect } from './sql-dialect.js';

export const CATALOGUE_TABLE = 'sleet_profile_tables';

interface CatalogueRow {
  table_name: string;
  spec_id: string;
  spec_json: string;
  sql_table: string;
  default_profile: string;
}

/** The catalogue table: profile table name → spec, SQL table and default profile. */
export class ProfileCatalogue {
  private readonly q: (id: string) => string;

  constructor(private readonly dialect: SqlDialect) {
    this.q = dialect.quote;
  }

  async ensure(qr: QueryRunner): Promise<void> {
    const collation = this.dialect.stringCollation ? { collation: this.dialect.stringCollation } : {};
    await qr.createTable(
      new Table({
        name: CATALOGUE_TABLE,
        columns: [
          new TableColumn({ name: 'table_name', type: 'varchar', length: '255', isPrimary: true, ...collation }),
          new TableColumn({ name: 'spec_id', type: 'varchar', length: '255' }),
          new TableColumn({ name: 'spec_json', type: 'text' }),
          new TableColumn({ name: 'sql_table', type: 'varchar', length: '64' }),
          new TableColumn({ name: 'default_profile', type: 'text' }),
        ],
      }),
      true,
    );
  }

  async loadAll(qr: QueryRunner): Promise<ProfileTableInfo[]> {
    const rows: CatalogueRow[] = await qr.query(`SELECT * FROM ${this.q(CATALOGUE_TABLE)}`);
    return rows.map((r) => this.fromRow(r));
  }

  async load(qr: QueryRunner, name: string): Promise<ProfileTableInfo | undefined> {
    const rows: CatalogueRow[] = await qr.query(`SELECT * FROM ${this.q(CATALOGUE_TABLE)} WHERE ${this.q('table_name')} = ?`, [name]);
    return rows[0] ? this.fromRow(rows[0]) : undefined;
  }

  async insert(qr: QueryRunner, info: ProfileTableInfo): Promise<void> {
    await qr.query(
      `INSERT INTO ${this.q(CATALOGUE_TABLE)} (${['table_name', 'spec_id', 'spec_json', 'sql_table', 'default_profile'].map(this.q).join(', ')}) VALUES (?, ?, ?, ?, ?)`,
      [info.name, info.spec.id, specToJson(info.spec), info.sqlTable, this.defaultsJson(info.spec, info.defaultProfile)],
    );
  }

  async update(qr: QueryRunner, info: ProfileTableInfo): Promise<void> {
    await qr.query(
      `UPDATE ${this.q(CATALOGUE_TABLE)} SET ${this.q('spec_id')} = ?, ${this.q('spec_json')} = ?, ${this.q('default_profile')} = ? WHERE ${this.q('table_name')} = ?`,
      [info.spec.id, specToJson(info.spec), this.defaultsJson(info.spec, info.defaultProfile), info.name],
    );
  }

  async rename(qr: QueryRunner, from: string, to: string): Promise<void> {
    await qr.query(`UPDATE ${this.q(CATALOGUE_TABLE)} SET ${this.q('table_name')} = ? WHERE ${this.q('table_name')} = ?`, [to, from]);
  }

  async remove(qr: QueryRunner, name: string): Promise<void> {
    await qr.query(`DELETE FROM ${this.q(CATALOGUE_TABLE)} WHERE ${this.q('table_name')} = ?`, [name]);
  }

  private defaultsJson(spec: ProfileSpecificationModel, values: Readonly<Record<string, unknown>>): string {
    const out: Record<string, unknown> = {};
    for (const attr of spec.attributes) {
      if (values[attr.name] !== undefined && values[attr.name] !== null) out[attr.name] = toExternal(attr, values[attr.name]);
    }
    return JSON.stringify(out);
  }

  private fromRow(row: CatalogueRow): ProfileTableInfo {
    const spec = specFromJson(row.spec_json);
    const external = JSON.parse(row.default_profile) as Record<string, unknown>;
    const defaultProfile: Record<string, unknown> = {};
    for (const attr of spec.attributes) {
      if (attr.name in external) defaultProfile[attr.name] = fromExternal(attr, external[attr.name]);
    }
    return { name: row.table_name, sqlTable: row.sql_table, spec, defaultProfile };
  }
}
