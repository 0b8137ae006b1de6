import type { ProfileTableInfo } from './profile-table-info.js';

/** A new profile's values: spec defaults, then the table's default profile, then the given values. */
export function withDefaults(info: ProfileTableInfo, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const attr of info.spec.attributes) {
    const given = values[attr.name];
    const fromDefaultProfile = info.defaultProfile[attr.name];
    out[attr.name] = given !== undefined ? given : fromDefaultProfile !== undefined ? fromDefaultProfile : (attr.defaultValue ?? null);
  }
  return out;
}
