import { parse } from 'csv-parse';
import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import { fromCsvText } from '../storage/column-codec.js';
import type { ProfileImportRow } from '../storage/profile-store.js';
import { rejectRow } from '../storage/import-error.js';
import { toReadable, type ImportInput } from './import-input.js';

export const NAME_HEADER = 'profileName';

/**
 * Reads CSV with a header row (`profileName` plus attribute names). An empty
 * unquoted cell means "no value" (the default applies); `""` is an empty string.
 * Arrays and JSON attributes hold JSON text.
 */
export async function parseCsvProfiles(spec: ProfileSpecificationModel, input: ImportInput): Promise<ProfileImportRow[]> {
  const parser = toReadable(input).pipe(
    parse({
      columns: true,
      info: true,
      bom: true,
      skip_empty_lines: true,
      cast: (value, context) => (!context.header && !context.quoting && value === '' ? null : value),
    }),
  );
  const rows: ProfileImportRow[] = [];
  let headerChecked = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string | null>; info: { lines: number } }>) {
      if (!headerChecked) {
        checkHeader(spec, Object.keys(record));
        headerChecked = true;
      }
      const values: Record<string, unknown> = {};
      for (const attr of spec.attributes) {
        const cell = record[attr.name];
        if (cell !== null && cell !== undefined) values[attr.name] = fromCsvText(attr, cell);
      }
      rows.push({ line: info.lines, name: record[NAME_HEADER] ?? '', values });
    }
  } catch (err) {
    const e = err as { code?: string; lines?: number; message: string };
    if (e.code?.startsWith('CSV_')) throw rejectRow({ line: e.lines ?? 0, reason: `malformed CSV: ${e.message}` });
    throw err;
  }
  return rows;
}

function checkHeader(spec: ProfileSpecificationModel, columns: string[]): void {
  if (!columns.includes(NAME_HEADER)) throw rejectRow({ line: 1, attribute: NAME_HEADER, reason: `the header has no '${NAME_HEADER}' column` });
  for (const c of columns) {
    if (c !== NAME_HEADER && !spec.attributes.some((a) => a.name === c)) {
      throw rejectRow({ line: 1, attribute: c, reason: `column '${c}' is not an attribute of spec ${spec.id}` });
    }
  }
}
