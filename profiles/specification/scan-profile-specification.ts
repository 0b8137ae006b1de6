import 'reflect-metadata';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { realmIntrinsics } from '../../slee/component-model/realm-intrinsics.js';
import { ADDRESS_KEY, ATTRIBUTES_KEY, QUERIES_KEY, SPEC_KEY } from './metadata-keys.js';
import type { AttrMetadata } from './attr-decorator.js';
import type { AttributeKind, AttributeModel } from './attribute-model.js';
import type { ProfileSpecOptions } from './profile-spec-decorator.js';
import type { ProfileSpecificationModel } from './profile-specification-model.js';
import type { QueryExpression } from '../query/query-expression.js';
import { checkQuery } from '../query/check-query.js';
import { checkValue } from '../storage/value-validation.js';
import { attributeOf } from './attribute-of.js';

/** Column name of the profile name in every profile table; no attribute may use it. */
export const PROFILE_NAME_COLUMN = 'sleet_profile_name';
/** Column of every profile table counting the profile's committed changes (optimistic concurrency); no attribute may use it. */
export const PROFILE_VERSION_COLUMN = 'sleet_profile_version';

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function invalid(spec: string, message: string, details?: Record<string, unknown>): SleetError {
  return new SleetError(ErrorCode.PROFILE_SPEC_INVALID, `profile spec ${spec}: ${message}`, { details: { spec, ...details } });
}

/** By constructor name: a specification from a bundle has its own realm's `String`, `Date`, ... */
function kindFromDesignType(designType: unknown): AttributeKind | 'array' | undefined {
  switch (realmIntrinsics.nameOf(designType)) {
    case 'String':
      return 'string';
    case 'Number':
      return 'number';
    case 'Boolean':
      return 'boolean';
    case 'BigInt':
      return 'bigint';
    case 'Date':
      return 'date';
    case 'Array':
      return 'array';
    default:
      return undefined;
  }
}

function attributeFrom(specId: string, meta: AttrMetadata): AttributeModel {
  const { property, options } = meta;
  if (!NAME_PATTERN.test(property) || property.toLowerCase() === PROFILE_NAME_COLUMN || property.toLowerCase() === PROFILE_VERSION_COLUMN) {
    throw invalid(specId, `attribute name '${property}' is not allowed`, { attribute: property });
  }
  const designKind = kindFromDesignType(meta.designType);
  let kind: AttributeKind | undefined = options.type === 'Date' ? 'date' : options.type;
  if (!kind && options.values) kind = 'enum';
  if (!kind && designKind !== 'array') kind = designKind;
  if (!kind) {
    throw invalid(specId, `attribute '${property}' needs an explicit type (design type is ambiguous)`, { attribute: property });
  }
  const array = options.array ?? designKind === 'array';
  if (kind === 'enum' && (!options.values || options.values.length === 0)) {
    throw invalid(specId, `enum attribute '${property}' needs values`, { attribute: property });
  }
  const unique = options.unique ?? false;
  const indexed = (options.indexed ?? false) || unique;
  if ((indexed || unique) && (array || kind === 'json')) {
    throw invalid(specId, `attribute '${property}' is ${array ? 'an array' : 'JSON'} and cannot be indexed`, { attribute: property });
  }
  const attr: AttributeModel = {
    name: property,
    kind,
    array,
    ...(kind === 'enum' ? { values: [...options.values!] } : {}),
    unique,
    indexed,
    required: options.required ?? false,
    ...(options.default !== undefined ? { defaultValue: options.default } : {}),
    ...(options.length !== undefined ? { length: options.length } : {}),
  };
  if (attr.defaultValue !== undefined) {
    const problem = checkValue(attr, attr.defaultValue);
    if (problem) throw invalid(specId, `default of '${property}' ${problem}`, { attribute: property });
  }
  return attr;
}

/** Reads the decorator metadata of a profile specification class into its runtime model. */
export function scanProfileSpecification(specClass: Function): ProfileSpecificationModel {
  const options: ProfileSpecOptions | undefined = Reflect.getMetadata(SPEC_KEY, specClass);
  if (!options) {
    throw new SleetError(ErrorCode.PROFILE_SPEC_INVALID, `${specClass.name} is not decorated with @ProfileSpec`, {
      details: { class: specClass.name },
    });
  }
  const id = `${options.vendor}:${options.name}:${options.version}`;
  // Walk the prototype chain so a spec can extend another; subclass declarations win.
  const chain: Function[] = [];
  for (let c: Function | null = specClass; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.unshift(c);
  const byName = new Map<string, AttrMetadata>();
  let queries: Record<string, QueryExpression> = {};
  for (const c of chain) {
    for (const meta of (Reflect.getOwnMetadata(ATTRIBUTES_KEY, c) ?? []) as AttrMetadata[]) byName.set(meta.property, meta);
    queries = { ...queries, ...(Reflect.getOwnMetadata(QUERIES_KEY, c) ?? {}) };
  }
  if (byName.size === 0) throw invalid(id, 'declares no attributes');
  const addressAttribute: string | undefined = options.addressAttribute ?? Reflect.getMetadata(ADDRESS_KEY, specClass);
  // The address attribute is looked up on every initial event, so it is always indexed.
  const attributes = [...byName.values()]
    .map((m) => attributeFrom(id, m))
    .map((a) => (a.name === addressAttribute && !a.indexed && !a.array && a.kind !== 'json' ? { ...a, indexed: true } : a));
  const model: ProfileSpecificationModel = {
    name: options.name,
    vendor: options.vendor,
    version: options.version,
    id,
    writable: options.writable ?? false,
    attributes,
    ...(addressAttribute !== undefined ? { addressAttribute } : {}),
    queries,
  };
  if (addressAttribute !== undefined) {
    const attr = attributeOf(model, addressAttribute);
    if (!attr || attr.array || (attr.kind !== 'string' && attr.kind !== 'enum')) {
      throw invalid(id, `address attribute '${addressAttribute}' must be a declared string attribute`, { attribute: addressAttribute });
    }
  }
  for (const [name, expr] of Object.entries(queries)) {
    try {
      checkQuery(model, expr);
    } catch (err) {
      throw invalid(id, `query '${name}': ${(err as Error).message}`, { query: name });
    }
  }
  return model;
}
