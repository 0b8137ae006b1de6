import { ErrorCode } from '../../slee/errors/error-codes.js';
import { SleetError } from '../../slee/errors/sleet-error.js';
import type { RejectedRow } from './profile-store.js';

/** PROFILE_IMPORT naming the rejected row; `details` is the RejectedRow. */
export function rejectRow(rejected: RejectedRow, cause?: unknown): SleetError {
  const where = rejected.attribute ? `, attribute '${rejected.attribute}'` : '';
  return new SleetError(ErrorCode.PROFILE_IMPORT, `import rejected line ${rejected.line}${where}: ${rejected.reason}`, {
    details: rejected,
    ...(cause !== undefined ? { cause } : {}),
  });
}
