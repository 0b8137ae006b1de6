import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';

/** PROFILE_WRITE_CONFLICT: the profile changed since the writing transaction read it at version `read`. */
export function conflictError(table: string, profileName: string, read: number, now: number | undefined): SleetError {
  const state = now === undefined ? 'it was removed or changed' : `version ${read}, now ${now}`;
  return new SleetError(
    ErrorCode.PROFILE_WRITE_CONFLICT,
    `profile '${profileName}' in table '${table}' changed since this transaction read it (${state}); the write would lose that update`,
    { details: { table, profileName, readVersion: read, ...(now === undefined ? {} : { currentVersion: now }) } },
  );
}
