import type { SbbFacilityBinding } from '../../slee/container/sbb-facility-binding.js';
import type { ProfileStore } from '../storage/profile-store.js';
import { ProfileFacility, type ProfileFacilityOptions } from '../facility/profile-facility.js';

/** Alarm raised when the profile database fails to commit an SBB transaction's writes. */
export const PROFILE_COMMIT_FAILED_ALARM = 'sleet.profiles.commit-failed';

/**
 * Injects `ProfileFacility` into SBBs. One facility (one cache) serves the
 * whole SLEE; each pooled SBB object gets a view bound to its transaction,
 * which raises an alarm when the database fails to take that transaction's writes.
 */
export function profileFacilityBinding(store: ProfileStore, options: ProfileFacilityOptions = {}): SbbFacilityBinding & { facility: ProfileFacility } {
  const facility = new ProfileFacility(store, () => undefined, options);
  return {
    token: ProfileFacility,
    facility,
    create: (ctx) =>
      facility.forTransactions(
        () => ctx.tx ?? undefined,
        (error) => {
          options.onCommitFailed?.(error);
          const tables = (error.details as { tables: string[] }).tables.join(',');
          ctx.host.alarms.raise('subsystem:profile-facility', PROFILE_COMMIT_FAILED_ALARM, tables, 'MAJOR', error.message, error.cause);
        },
      ),
  };
}
