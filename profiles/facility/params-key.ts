import { types } from 'node:util';
import type { QueryParams } from '../query/compile-query.js';

/**
 * A static query's parameters as a cache key: the same text for the same
 * values whatever their order, and different texts for values a query tells
 * apart. Each value is written with its type, so that `5n` and `'5n'`, a
 * Date and its time, or `undefined` and `null` do not share an entry.
 */
export function paramsKey(params: QueryParams): string {
  const keys = Object.keys(params);
  // The usual lookup has one text parameter (an AOR, an address): the text the general form gives, without its arrays.
  if (keys.length === 1) {
    const value = params[keys[0]!];
    if (typeof value === 'string') return `[[${JSON.stringify(keys[0])},"string",${JSON.stringify(value)}]]`;
  }
  return JSON.stringify(keys.sort().map((k) => [k, ...typed(params[k])]));
}

function typed(value: unknown): [string, unknown] {
  if (typeof value === 'bigint' || typeof value === 'number') return [typeof value, String(value)];
  if (types.isDate(value)) return ['date', value.getTime()];
  return [typeof value, value];
}
