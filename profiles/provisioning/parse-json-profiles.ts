import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import { fromExternal } from '../storage/column-codec.js';
import type { ProfileImportRow } from '../storage/profile-import-row.js';
import { rejectRow } from '../storage/import-error.js';
import { readAllText, type ImportInput } from './import-input.js';
import { NAME_HEADER } from './parse-csv-profiles.js';
import { attributeOf } from '../specification/attribute-of.js';

/**
 * Reads profiles as JSON objects `{ profileName, ...attributes }` (bigint as
 * decimal text, Date as ISO text). Accepts one object per line (JSON Lines, or
 * a JSON array laid out one element per line as the export writes it), so
 * errors carry real line numbers; any other JSON array is also accepted, its
 * element position then standing in for the line.
 */
export async function parseJsonProfiles(spec: ProfileSpecificationModel, input: ImportInput): Promise<ProfileImportRow[]> {
  const text = await readAllText(input);
  const objects: Array<{ line: number; value: unknown }> = [];
  const lines = text.split(/\r?\n/);
  let lineMode = true;
  for (let i = 0; i < lines.length && lineMode; i++) {
    const trimmed = lines[i]!.trim().replace(/,$/, '');
    if (trimmed === '' || trimmed === '[' || trimmed === ']') continue;
    try {
      objects.push({ line: i + 1, value: JSON.parse(trimmed) });
    } catch {
      lineMode = false;
    }
  }
  if (!lineMode) {
    objects.length = 0;
    let whole: unknown;
    try {
      whole = JSON.parse(text);
    } catch (err) {
      throw rejectRow({ line: 1, reason: `malformed JSON: ${(err as Error).message}` });
    }
    if (!Array.isArray(whole)) throw rejectRow({ line: 1, reason: 'expected a JSON array of profiles or one profile object per line' });
    whole.forEach((value, i) => objects.push({ line: i + 1, value }));
  }
  return objects.map(({ line, value }) => toRow(spec, line, value));
}

function toRow(spec: ProfileSpecificationModel, line: number, value: unknown): ProfileImportRow {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw rejectRow({ line, reason: 'expected a JSON object' });
  const obj = value as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(obj)) {
    if (key === NAME_HEADER) continue;
    const attr = attributeOf(spec, key);
    if (!attr) throw rejectRow({ line, attribute: key, reason: `'${key}' is not an attribute of spec ${spec.id}` });
    if (v !== null) values[key] = fromExternal(attr, v);
  }
  const name = obj[NAME_HEADER];
  return { line, name: typeof name === 'string' ? name : '', values };
}
