import { freezeSerialisable } from '../container/cmp-value.js';

/**
 * CMP fields and ACI attributes hold what `freezeSerialisable` lets through:
 * JSON plus bigints and Dates, which JSON alone would turn into strings or
 * refuse. They are written as one-key tagged objects.
 */
export function encodeValues(values: Record<string, unknown>): string {
  return JSON.stringify(values, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    if (typeof raw === 'bigint') return { $bigint: raw.toString() };
    if (raw instanceof Date) return { $date: raw.getTime() };
    return value;
  });
}

/** The values `encodeValues` wrote, frozen as committed state is. */
export function decodeValues(text: string): Record<string, unknown> {
  const parsed = JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === '$bigint') return BigInt((value as { $bigint: string }).$bigint);
      if (keys.length === 1 && keys[0] === '$date') return new Date((value as { $date: number }).$date);
    }
    return value;
  }) as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed)) values[k] = freezeSerialisable(v, k);
  return values;
}
