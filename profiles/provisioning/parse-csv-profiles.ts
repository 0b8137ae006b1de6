import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import { fromCsvText } from '../storage/column-codec.js';
import { rejectRow } from '../storage/import-error.js';
import type { ProfileImportRow } from '../storage/profile-import-row.js';
import { CsvSyntaxError, readCsv } from './csv-reader.js';
import { readAllText, type ImportInput } from './import-input.js';
import { attributeOf } from '../specification/attribute-of.js';

export const NAME_HEADER = 'profileName';

/**
 * Reads CSV with a header row (`profileName` plus attribute names). An empty
 * unquoted cell means "no value" (the default applies); `""` is an empty string.
 * Arrays and JSON attributes hold JSON text.
 */
export async function parseCsvProfiles(spec: ProfileSpecificationModel, input: ImportInput): Promise<ProfileImportRow[]> {
  const text = await readAllText(input);
  const rows: ProfileImportRow[] = [];
  try {
    let header: Array<string | null> | undefined;
    let nameIndex = -1;
    for (const record of readCsv(text)) {
      if (!header) {
        header = record.cells;
        nameIndex = checkHeader(spec, header);
        continue;
      }
      if (record.cells.length !== header.length) {
        throw rejectRow({ line: record.line, reason: `expected ${header.length} fields, found ${record.cells.length}` });
      }
      const values: Record<string, unknown> = {};
      header.forEach((column, c) => {
        const cell = record.cells[c];
        if (c === nameIndex || cell === null || cell === undefined) return;
        values[column!] = fromCsvText(attributeOf(spec, column)!, cell);
      });
      rows.push({ line: record.line, name: record.cells[nameIndex] ?? '', values });
    }
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw rejectRow({ line: err.line, reason: `malformed CSV: ${err.message}` });
    throw err;
  }
  return rows;
}

function checkHeader(spec: ProfileSpecificationModel, columns: Array<string | null>): number {
  const nameIndex = columns.indexOf(NAME_HEADER);
  if (nameIndex < 0) throw rejectRow({ line: 1, attribute: NAME_HEADER, reason: `the header has no '${NAME_HEADER}' column` });
  for (const c of columns) {
    if (c !== NAME_HEADER && attributeOf(spec, c) === undefined) {
      throw rejectRow({ line: 1, ...(c ? { attribute: c } : {}), reason: `column '${c ?? ''}' is not an attribute of spec ${spec.id}` });
    }
  }
  return nameIndex;
}
