import type { ProfileProvisioning, ProfileFileFormat } from '../../profiles/provisioning/profile-provisioning.js';
import type { ImportInput } from '../../profiles/provisioning/import-input.js';
import type { ProfileTableInfo } from '../../profiles/storage/profile-table-info.js';
import type { QueryExpression } from '../../profiles/query/query-expression.js';
import type { ProfileRecord } from '../../profiles/storage/profile-record.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ProfileRecordOut, ProfileTableRecord, QueryExpressionInput } from './api/schemas.js';
import { toJson } from './api/to-json.js';
import type { ComponentRef } from './component-ref.js';
import type { NotificationHub } from './notifications/notification-hub.js';
import type { ProfileSpecCatalogue } from './profile-spec-catalogue.js';

/**
 * JSLEE's ProfileProvisioningMBean: profile tables created from profile
 * specifications, profiles, static and dynamic queries, and bulk import
 * (progress as `profile-import` notifications) and export.
 */
export class ProfileProvisioningManagement {
  constructor(
    private readonly provisioning: ProfileProvisioning | null,
    private readonly specs: ProfileSpecCatalogue,
    private readonly hub: NotificationHub,
  ) {}

  listSpecs(): string[] {
    return this.specs.list(this.provisioning?.store).map((m) => `${m.name}:${m.vendor}:${m.version}`);
  }

  listTables(): ProfileTableRecord[] {
    return this.api().listTables().map(describeTable);
  }

  getTable(name: string): ProfileTableRecord {
    return describeTable(this.api().store.tableInfo(name));
  }

  async createTable(name: string, spec: ComponentRef): Promise<ProfileTableRecord> {
    const api = this.api();
    return describeTable(await api.createTable(name, this.specs.resolve(spec, api.store)));
  }

  async removeTable(name: string): Promise<void> {
    await this.api().removeTable(name);
  }

  async renameTable(from: string, to: string): Promise<ProfileTableRecord> {
    await this.api().renameTable(from, to);
    return this.getTable(to);
  }

  /** A page of profiles in name order, starting after `after`. */
  async listProfiles(table: string, page: { after?: string; limit?: number } = {}): Promise<ProfileRecordOut[]> {
    const records = await this.api().store.pageProfiles(table, { ...(page.after !== undefined ? { after: page.after } : {}), limit: page.limit ?? 100 });
    return records.map(describeProfile);
  }

  async countProfiles(table: string): Promise<number> {
    return this.api().countProfiles(table);
  }

  async getProfile(table: string, name: string): Promise<ProfileRecordOut> {
    const record = await this.api().getProfile(table, name);
    if (!record) throw new SleetError(ErrorCode.PROFILE_NOT_FOUND, `no profile '${name}' in table '${table}'`);
    return describeProfile(record);
  }

  async createProfile(table: string, name: string, values: Record<string, unknown> = {}): Promise<ProfileRecordOut> {
    return describeProfile(await this.api().createProfile(table, name, values));
  }

  async updateProfile(table: string, name: string, values: Record<string, unknown>): Promise<ProfileRecordOut> {
    return describeProfile(await this.api().updateProfile(table, name, values));
  }

  async removeProfile(table: string, name: string): Promise<void> {
    await this.api().removeProfile(table, name);
  }

  /** Runs a static query declared by the table's spec (`@ProfileQuery`). */
  async query(table: string, queryName: string, params: Record<string, unknown> = {}): Promise<ProfileRecordOut[]> {
    return (await this.api().query(table, queryName, params)).map(describeProfile);
  }

  /** Runs a dynamic query: a JSON tree of JSLEE's query operators. */
  async find(table: string, expression: QueryExpressionInput, params: Record<string, unknown> = {}): Promise<ProfileRecordOut[]> {
    return (await this.api().find(table, expression as QueryExpression, params)).map(describeProfile);
  }

  /** Imports new profiles, all or nothing, publishing progress after each batch. */
  async importProfiles(table: string, input: ImportInput, format: ProfileFileFormat): Promise<{ imported: number }> {
    return this.api().importProfiles(table, input, {
      format,
      onProgress: (p) => this.hub.publish({ type: 'profile-import', table, done: p.done, total: p.total }),
    });
  }

  exportProfiles(table: string, format: ProfileFileFormat): AsyncGenerator<string> {
    const api = this.api();
    api.store.tableInfo(table);
    return api.exportProfiles(table, { format });
  }

  private api(): ProfileProvisioning {
    if (!this.provisioning) throw new SleetError(ErrorCode.MANAGEMENT_UNAVAILABLE, 'this SLEE has no profile store');
    return this.provisioning;
  }
}

function describeTable(info: ProfileTableInfo): ProfileTableRecord {
  return {
    name: info.name,
    spec: `${info.spec.name}:${info.spec.vendor}:${info.spec.version}`,
    attributes: info.spec.attributes.map((a) => ({
      name: a.name,
      kind: a.kind,
      array: a.array,
      unique: a.unique,
      indexed: a.indexed,
      required: a.required,
      ...(a.values ? { values: [...a.values] } : {}),
      ...(a.defaultValue !== undefined ? { default: toJson(a.defaultValue) } : {}),
    })),
    addressAttribute: info.spec.addressAttribute ?? null,
    queries: Object.keys(info.spec.queries),
  };
}

function describeProfile(record: ProfileRecord): ProfileRecordOut {
  return { table: record.table, name: record.name, values: toJson<Record<string, unknown>>(record.values) };
}
