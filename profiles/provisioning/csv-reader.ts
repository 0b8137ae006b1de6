import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

/** One CSV record: its cells (null = empty unquoted cell) and the line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly cells: Array<string | null>;
}

/** Malformed CSV, with the line where the problem was found. */
export class CsvSyntaxError extends SleetError {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(ErrorCode.PROFILE_IMPORT, message, { details: { line } });
    this.name = 'CsvSyntaxError';
  }
}

/**
 * RFC 4180 CSV reader. Written here rather than using a general parser because
 * imports need, per cell, whether it was quoted (an empty quoted cell is '' and
 * an empty unquoted one is "no value") and, per record, its starting line —
 * which general parsers only provide at a high per-field cost.
 */
export function* readCsv(text: string): Generator<CsvRecord> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const cells: Array<string | null> = [];
    for (;;) {
      let cell: string | null;
      if (text[i] === '"') {
        let value = '';
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw new CsvSyntaxError(startLine, 'unterminated quoted field');
          const chunk = text.slice(i, q);
          for (let k = chunk.indexOf('\n'); k >= 0; k = chunk.indexOf('\n', k + 1)) line++;
          value += chunk;
          if (text[q + 1] === '"') {
            value += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new CsvSyntaxError(line, 'unexpected character after a quoted field');
        }
        cell = value;
      } else {
        let end = i;
        while (end < n && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') end++;
        const raw = text.slice(i, end);
        if (raw.includes('"')) throw new CsvSyntaxError(line, 'quote inside an unquoted field');
        cell = raw === '' ? null : raw;
        i = end;
      }
      cells.push(cell);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    // Blank lines carry no record.
    if (cells.length === 1 && cells[0] === null) continue;
    yield { line: startLine, cells };
  }
}
