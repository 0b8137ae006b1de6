import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';

/** PROFILE_UNIQUE_VIOLATION, naming the attribute and the profile holding the value when they are known. */
export function uniqueError(table: string, profileName: string, attribute?: string, holder?: string, cause?: unknown): SleetError {
  const message = attribute
    ? `profile '${profileName}' in table '${table}': attribute '${attribute}' must be unique; profile '${holder}' already has that value`
    : `profile '${profileName}' in table '${table}' violates a unique attribute`;
  return new SleetError(ErrorCode.PROFILE_UNIQUE_VIOLATION, message, {
    details: { table, profileName, ...(attribute ? { attribute, conflictsWith: holder } : {}) },
    ...(cause !== undefined ? { cause } : {}),
  });
}
