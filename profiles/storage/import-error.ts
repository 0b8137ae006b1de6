import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import type { RejectedRow } from './rejected-row.js';

/** PROFILE_IMPORT naming the rejected row; `details` is the RejectedRow. */
export function rejectRow(rejected: RejectedRow, cause?: unknown): SleetError {
  const where = rejected.attribute ? `, attribute '${rejected.attribute}'` : '';
  return new SleetError(ErrorCode.PROFILE_IMPORT, `import rejected line ${rejected.line}${where}: ${rejected.reason}`, {
    details: rejected,
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** At most this many rejected rows are listed: enough to fix a file, bounded for the reply. */
export const MAX_LISTED_REJECTIONS = 100;

/**
 * PROFILE_IMPORT for rows that failed validation: the details are the first
 * RejectedRow, plus `rejected`, the first MAX_LISTED_REJECTIONS of them.
 */
export function rejectRows(rejected: readonly RejectedRow[], total: number, cause?: unknown): SleetError {
  const first = rejectRow(rejected[0]!, cause);
  const more = total > 1 ? ` (and ${total - 1} more rows)` : '';
  return new SleetError(ErrorCode.PROFILE_IMPORT, `${first.message}${more}`, {
    details: { ...rejected[0]!, rejected: rejected.slice(0, MAX_LISTED_REJECTIONS) },
    ...(cause !== undefined ? { cause } : {}),
  });
}
