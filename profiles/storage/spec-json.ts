import { types } from 'node:util';
import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';

// Query literals and defaults may be bigint or Date, which JSON cannot hold natively.
export function specToJson(spec: ProfileSpecificationModel): string {
  return JSON.stringify(spec, function (key, value) {
    const raw = (this as Record<string, unknown>)[key];
    if (typeof raw === 'bigint') return { $bigint: raw.toString() };
    if (types.isDate(raw)) return { $date: raw.getTime() };
    return value;
  });
}

export function specFromJson(text: string): ProfileSpecificationModel {
  return JSON.parse(text, (_key, value) => {
    if (value && typeof value === 'object' && typeof value.$bigint === 'string') return BigInt(value.$bigint);
    if (value && typeof value === 'object' && typeof value.$date === 'number') return new Date(value.$date);
    return value;
  }) as ProfileSpecificationModel;
}
