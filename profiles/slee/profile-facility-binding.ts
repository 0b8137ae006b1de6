import type { SbbFacilityBinding } from '../../slee/container/sbb-facility-binding.js';
import type { ProfileStore } from '../storage/profile-store.js';
import { ProfileFacility, type ProfileFacilityOptions } from '../facility/profile-facility.js';

/**
 * Injects `ProfileFacility` into SBBs. One facility (one cache) serves the
 * whole SLEE; each pooled SBB object gets a view bound to its transaction.
 */
export function profileFacilityBinding(store: ProfileStore, options: ProfileFacilityOptions = {}): SbbFacilityBinding & { facility: ProfileFacility } {
  const facility = new ProfileFacility(store, () => undefined, options);
  return {
    token: ProfileFacility,
    facility,
    create: (ctx) => facility.forTransactions(() => ctx.tx ?? undefined),
  };
}
