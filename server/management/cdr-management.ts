import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { CdrRecord } from './api/schemas.js';
import { CDR_COLUMNS } from '../accounting/cdr-columns.js';

export interface CdrFilter {
  from?: number | undefined;
  to?: number | undefined;
  user?: string | undefined;
  limit?: number | undefined;
}

/** Where management reads call detail records (the accounting table). */
export interface CdrSource {
  query(filter: CdrFilter): Promise<CdrRecord[]>;
}

const TIME_COLUMNS = new Set<string>(['startedAt', 'answeredAt', 'endedAt']);

/** Call detail records: queried by time range and user, exported as CSV or JSON lines. */
export class CdrManagement {
  constructor(private readonly source: CdrSource | null) {}

  list(filter: CdrFilter): Promise<CdrRecord[]> {
    return this.api().query(filter);
  }

  async *export(filter: CdrFilter, format: 'csv' | 'json'): AsyncGenerator<string> {
    const records = await this.list(filter);
    if (format === 'json') {
      for (const record of records) yield `${JSON.stringify(record)}\n`;
      return;
    }
    yield `${CDR_COLUMNS.join(',')}\n`;
    for (const record of records) yield `${CDR_COLUMNS.map((column) => csvCell(csvValue(column, record[column]))).join(',')}\n`;
  }

  private api(): CdrSource {
    if (this.source === null) throw new SleetError(ErrorCode.MANAGEMENT_UNAVAILABLE, 'this node keeps no call detail records');
    return this.source;
  }
}

/** RFC 4180: quoted when it holds a comma, quote or line break. */
function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvValue(column: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  return TIME_COLUMNS.has(column) ? new Date(value as number).toISOString() : String(value);
}
