import { randomBytes } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import { PROFILE_VERSION_COLUMN, scanProfileSpecification } from '../specification/scan-profile-specification.js';
import { toColumn } from './column-codec.js';
import { ProfileCatalogue } from './profile-catalogue.js';
import type { ProfileListeners } from './profile-listeners.js';
import { MAX_NAME_LENGTH } from './profile-name.js';
import type { ProfileSpecInput } from './profile-spec-input.js';
import type { ProfileTableInfo } from './profile-table-info.js';
import { attributeColumn, attributeIndex, profileTableSchema } from './profile-table-schema.js';
import type { ProfileWriteTransforms } from './profile-write-transforms.js';
import type { SqlDialect } from './sql-dialect.js';
import type { StoreTransactions } from './store-transactions.js';
import { validateProfileValues, validationError } from './value-validation.js';
import { attributeOf } from '../specification/attribute-of.js';

function toModel(spec: ProfileSpecInput): ProfileSpecificationModel {
  return typeof spec === 'function' ? scanProfileSpecification(spec) : spec;
}

function sqlTableName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  return `sleet_pt_${slug}_${randomBytes(4).toString('hex')}`;
}

/**
 * The profile tables' definitions: each table's specification, SQL table and
 * default profile, kept in the catalogue, and their creation, schema
 * upgrade, renaming and removal.
 */
export class ProfileTables {
  private readonly tables = new Map<string, ProfileTableInfo>();
  /** SQL tables known to have the version column. */
  private readonly versioned = new Set<string>();
  private readonly catalogue: ProfileCatalogue;
  private readonly q: (id: string) => string;

  constructor(
    private readonly dialect: SqlDialect,
    private readonly transactions: StoreTransactions,
    private readonly listeners: ProfileListeners,
    private readonly transforms: ProfileWriteTransforms,
  ) {
    this.catalogue = new ProfileCatalogue(dialect);
    this.q = dialect.quote;
  }

  /** On open: creates the catalogue if missing and loads every table from it. */
  async load(qr: QueryRunner): Promise<void> {
    await this.catalogue.ensure(qr);
    const infos = await this.catalogue.loadAll(qr);
    await this.addVersionColumns(qr, infos);
    for (const info of infos) this.tables.set(info.name, info);
  }

  list(): ProfileTableInfo[] {
    return [...this.tables.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  has(name: string): boolean {
    return this.tables.has(name);
  }

  info(name: string): ProfileTableInfo {
    const info = this.tables.get(name);
    if (!info) {
      throw new SleetError(ErrorCode.PROFILE_TABLE_NOT_FOUND, `profile table '${name}' does not exist`, { details: { table: name } });
    }
    return info;
  }

  /** Reloads the catalogue, to see tables another process created on a shared database. */
  async refresh(): Promise<void> {
    const infos = await this.transactions.withQueryRunner(async (qr) => {
      const loaded = await this.catalogue.loadAll(qr);
      await this.addVersionColumns(qr, loaded);
      return loaded;
    });
    this.tables.clear();
    for (const info of infos) this.tables.set(info.name, info);
  }

  async create(name: string, spec: ProfileSpecInput, options: { defaults?: Record<string, unknown> } = {}): Promise<ProfileTableInfo> {
    const model = toModel(spec);
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
      throw validationError('tableName', `must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
    }
    const defaults = options.defaults ?? {};
    validateProfileValues(model, defaults, false);
    const info: ProfileTableInfo = { name, sqlTable: sqlTableName(name), spec: model, defaultProfile: { ...defaults } };
    await this.transactions.inTransaction(async (qr) => {
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
    this.listeners.emitTable({ kind: 'tableCreated', table: name });
    return info;
  }

  /** Creates the table if missing, otherwise upgrades it to the spec (see `upgrade`). */
  async open(name: string, spec: ProfileSpecInput): Promise<ProfileTableInfo> {
    if (!this.tables.has(name)) await this.refresh();
    if (!this.tables.has(name)) return this.create(name, spec);
    await this.upgrade(name, spec);
    return this.info(name);
  }

  /**
   * Schema evolution: moves a table to a newer version of its spec (same vendor
   * and name). New attributes become new columns, filled with their default on
   * existing profiles; new indexed/unique attributes get their indexes. Existing
   * data is kept. Changing an existing attribute's type is refused.
   */
  async upgrade(name: string, spec: ProfileSpecInput): Promise<{ addedAttributes: string[] }> {
    const model = toModel(spec);
    const info = this.info(name);
    const old = info.spec;
    if (old.vendor !== model.vendor || old.name !== model.name) {
      throw new SleetError(ErrorCode.PROFILE_SPEC_INVALID, `table '${name}' holds ${old.id}, not a version of ${model.id}`, {
        details: { table: name, spec: model.id, current: old.id },
      });
    }
    for (const attr of model.attributes) {
      const before = attributeOf(old, attr.name);
      if (before && (before.kind !== attr.kind || before.array !== attr.array)) {
        throw new SleetError(
          ErrorCode.PROFILE_SPEC_INVALID,
          `attribute '${attr.name}' changes type from ${before.kind}${before.array ? '[]' : ''} to ${attr.kind}${attr.array ? '[]' : ''}`,
          { details: { table: name, attribute: attr.name } },
        );
      }
    }
    const added = model.attributes.filter((a) => attributeOf(old, a.name) === undefined);
    const newlyIndexed = model.attributes.filter((a) => {
      const before = attributeOf(old, a.name);
      return a.indexed && (!before || before.indexed !== a.indexed || before.unique !== a.unique);
    });
    // Attributes dropped from the spec keep their column: an upgrade never destroys data.
    const next: ProfileTableInfo = { ...info, spec: model };
    await this.transactions.inTransaction(async (qr) => {
      if (added.length > 0)
        await qr.addColumns(
          info.sqlTable,
          added.map((a) => attributeColumn(a, this.dialect)),
        );
      for (const attr of added) {
        if (attr.defaultValue === undefined) continue;
        const version = this.q(PROFILE_VERSION_COLUMN);
        await qr.query(`UPDATE ${this.q(info.sqlTable)} SET ${this.q(attr.name)} = ?, ${version} = ${version} + 1`, [toColumn(attr, attr.defaultValue)]);
      }
      for (const attr of newlyIndexed) {
        const before = attributeOf(old, attr.name);
        if (before?.indexed) await qr.dropIndex(info.sqlTable, attributeIndex(info.sqlTable, before).name!, true);
        await qr.createIndex(info.sqlTable, attributeIndex(info.sqlTable, attr));
      }
      await this.catalogue.update(qr, next);
    });
    this.tables.set(name, next);
    this.listeners.emitTable({ kind: 'tableUpgraded', table: name });
    return { addedAttributes: added.map((a) => a.name) };
  }

  async remove(name: string): Promise<void> {
    const info = this.info(name);
    await this.transactions.inTransaction(async (qr) => {
      await this.catalogue.remove(qr, name);
      await qr.dropTable(info.sqlTable, true);
    });
    this.tables.delete(name);
    this.transforms.removed(name);
    this.listeners.emitTable({ kind: 'tableRemoved', table: name });
  }

  /** Renames the profile table; the SQL table keeps its name, only the catalogue changes. */
  async rename(from: string, to: string): Promise<void> {
    const info = this.info(from);
    if (typeof to !== 'string' || to.length === 0 || to.length > MAX_NAME_LENGTH) {
      throw validationError('tableName', `must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
    }
    await this.transactions.inTransaction(async (qr) => {
      if (this.tables.has(to) || (await this.catalogue.load(qr, to))) {
        throw new SleetError(ErrorCode.PROFILE_TABLE_EXISTS, `profile table '${to}' already exists`, { details: { table: to } });
      }
      await this.catalogue.rename(qr, from, to);
    });
    this.tables.delete(from);
    this.tables.set(to, { ...info, name: to });
    this.transforms.renamed(from, to);
    this.listeners.emitTable({ kind: 'tableRenamed', table: from, newName: to });
  }

  /** Changes the table's default profile (merged into it); affects profiles created afterwards. */
  async setDefaultProfile(table: string, changes: Readonly<Record<string, unknown>>): Promise<void> {
    const info = this.info(table);
    validateProfileValues(info.spec, changes, false);
    const next: ProfileTableInfo = { ...info, defaultProfile: { ...info.defaultProfile, ...changes } };
    await this.transactions.inTransaction((qr) => this.catalogue.update(qr, next));
    this.tables.set(table, next);
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
}
