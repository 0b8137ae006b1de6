import type { ProfileSpecificationModel } from '../specification/profile-specification-model.js';
import { toCsvText, toExternal } from '../storage/column-codec.js';
import type { ProfileRecord } from '../storage/profile-record.js';
import { NAME_HEADER } from './parse-csv-profiles.js';

function csvCell(text: string | undefined): string {
  if (text === undefined) return '';
  // Quote empty strings too, so they read back as '' rather than "no value".
  return text === '' || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(spec: ProfileSpecificationModel): string {
  return [NAME_HEADER, ...spec.attributes.map((a) => a.name)].map(csvCell).join(',') + '\n';
}

export function csvLine(spec: ProfileSpecificationModel, record: ProfileRecord): string {
  return [csvCell(record.name), ...spec.attributes.map((a) => csvCell(toCsvText(a, record.values[a.name])))].join(',') + '\n';
}

/** One profile as a single-line JSON object. */
export function jsonLine(spec: ProfileSpecificationModel, record: ProfileRecord): string {
  const obj: Record<string, unknown> = { [NAME_HEADER]: record.name };
  for (const attr of spec.attributes) obj[attr.name] = toExternal(attr, record.values[attr.name]);
  return JSON.stringify(obj);
}
