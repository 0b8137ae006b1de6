import type { ProfileStore } from '../profiles/index.js';
import { SubscriberProfile, SUBSCRIBERS_TABLE } from './subscribers/subscriber-profile.js';
import { RegistrationProfile, REGISTRATIONS_TABLE } from './location/registration-profile.js';

/** Creates (or upgrades) the `subscribers` and `registrations` tables the telephony SBBs read and write. */
export async function openTelephonyTables(store: ProfileStore): Promise<void> {
  await store.openTable(SUBSCRIBERS_TABLE, SubscriberProfile);
  await store.openTable(REGISTRATIONS_TABLE, RegistrationProfile);
}
