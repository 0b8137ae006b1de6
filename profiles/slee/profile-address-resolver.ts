import type { AddressProfileResolver } from '../../slee/router/address-profile-resolver.js';
import type { ProfileFacility } from '../facility/profile-facility.js';

/** Resolves the "address profile" initial-event-select variable through the cached facility. */
export function profileAddressResolver(facility: ProfileFacility): AddressProfileResolver {
  return async (table, address) => (await facility.findByAddress(table, address))?.name ?? null;
}
