import 'reflect-metadata';
import { ADDRESS_KEY, ATTRIBUTES_KEY } from './metadata-keys.js';
import type { AttributeKind } from './attribute-model.js';

export interface AttrOptions {
  /** Needed when `design:type` is ambiguous (arrays, enums, JSON, unions). 'Date' is accepted for 'date'. */
  type?: AttributeKind | 'Date';
  array?: boolean;
  values?: readonly string[];
  unique?: boolean;
  indexed?: boolean;
  required?: boolean;
  default?: unknown;
  length?: number;
}

/** What the decorators record per property; the scanner turns it into an AttributeModel. */
export interface AttrMetadata {
  property: string;
  options: AttrOptions;
  designType: unknown;
}

function record(target: object, property: string, options: AttrOptions): void {
  const ctor = (target as { constructor: object }).constructor;
  const own: AttrMetadata[] = Reflect.getOwnMetadata(ATTRIBUTES_KEY, ctor) ?? [];
  const existing = own.find((a) => a.property === property);
  if (existing) {
    existing.options = { ...existing.options, ...options };
    return;
  }
  const designType = Reflect.getMetadata('design:type', target, property);
  Reflect.defineMetadata(ATTRIBUTES_KEY, [...own, { property, options: { ...options }, designType }], ctor);
}

/** Declares a profile attribute. */
export function Attr(options: AttrOptions = {}): PropertyDecorator {
  return (target, property) => record(target, String(property), options);
}

/** Declares an attribute whose values are unique across the table (backed by a unique index). */
export function Unique(options: AttrOptions = {}): PropertyDecorator {
  return (target, property) => record(target, String(property), { ...options, unique: true });
}

/** Declares an attribute backed by a (non-unique) index, for fast queries. */
export function Indexed(options: AttrOptions = {}): PropertyDecorator {
  return (target, property) => record(target, String(property), { ...options, indexed: true });
}

/** Marks the address attribute used by `findByAddress` (the JSLEE address profile); implies indexed. */
export function AddressAttr(options: AttrOptions = {}): PropertyDecorator {
  return (target, property) => {
    record(target, String(property), { ...options, indexed: true });
    Reflect.defineMetadata(ADDRESS_KEY, String(property), (target as { constructor: object }).constructor);
  };
}
