import type { AttributeModel } from './attribute-model.js';

const tables = new WeakMap<object, ReadonlyMap<string, AttributeModel>>();

/**
 * A spec's attribute by name, undefined when it has none of that name. A
 * spec's attributes never change, so its table of names is made once, at
 * first use, and kept while the spec lives.
 */
export function attributeOf(spec: { readonly attributes: readonly AttributeModel[] }, name: string | null | undefined): AttributeModel | undefined {
  let table = tables.get(spec);
  if (!table) {
    table = new Map(spec.attributes.map((a) => [a.name, a]));
    tables.set(spec, table);
  }
  return name === undefined || name === null ? undefined : table.get(name);
}
