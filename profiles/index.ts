export { ProfileSpec, type ProfileSpecOptions } from './specification/profile-spec-decorator.js';
export { Attr, Unique, Indexed, AddressAttr, type AttrOptions } from './specification/attr-decorator.js';
export { ProfileQuery } from './specification/profile-query-decorator.js';
export { scanProfileSpecification, PROFILE_NAME_COLUMN, PROFILE_VERSION_COLUMN } from './specification/scan-profile-specification.js';
export type { ProfileSpecificationModel } from './specification/profile-specification-model.js';
export type { AttributeModel, AttributeKind } from './specification/attribute-model.js';
export { param } from './query/param.js';
export { queryBuilder, type QueryBuilder } from './query/query-builder.js';
export type { QueryExpression, QueryOperand, QueryParam } from './query/query-expression.js';
export type { QueryParams } from './query/compile-query.js';
export {
  ProfileStore,
  type ProfileSpecInput,
  type ProfileImportRow,
  type ImportProgress,
  type RejectedRow,
  type ProfileWriteTransform,
} from './storage/profile-store.js';
export type { ProfileStoreOptions } from './storage/profile-store-options.js';
export type { ProfileRecord } from './storage/profile-record.js';
export { versionOf } from './storage/record-version.js';
export type { ProfileTableInfo } from './storage/profile-table-info.js';
export type { ProfileWrite } from './storage/profile-write.js';
export type { PreparedProfileWrites } from './storage/prepared-profile-writes.js';
export type {
  ProfileChange,
  ProfileChangeListener,
  ProfileTableChange,
  ProfileTableChangeListener,
} from './storage/profile-change.js';
export { ProfileFacility, type ProfileFacilityOptions } from './facility/profile-facility.js';
export {
  ProfileProvisioning,
  type ProfileFileFormat,
  type ImportOptions,
  type ExportOptions,
} from './provisioning/profile-provisioning.js';
export type { ImportInput } from './provisioning/import-input.js';
export * from './slee/index.js';
