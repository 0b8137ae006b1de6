import type { ProfileStore } from '../profiles/index.js';
import { SubscriberProfile, SUBSCRIBERS_TABLE } from './subscribers/subscriber-profile.js';
import { deriveSubscriberCredentials } from './subscribers/derive-subscriber-credentials.js';
import { RegistrationProfile, REGISTRATIONS_TABLE } from './location/registration-profile.js';

/** Subscribers whose plain password was hashed at open, and those that could not be (their password is cleared all the same). */
export interface SubscriberMigration {
  hashed: string[];
  cleared: Array<{ name: string; reason: string }>;
}

/**
 * Creates (or upgrades) the `subscribers` and `registrations` tables the
 * telephony SBBs read and write, and makes every subscriber write derive
 * HA1s from a given password. Subscribers an older version stored with a
 * plain password are migrated: hashed for the realm in effect now (the
 * digest realm must be configured before), and the password cleared; one
 * that cannot be hashed (empty password, address not a SIP URI) loses its
 * password and needs a new one.
 */
export async function openTelephonyTables(store: ProfileStore): Promise<SubscriberMigration> {
  await store.openTable(SUBSCRIBERS_TABLE, SubscriberProfile);
  store.setWriteTransform(SUBSCRIBERS_TABLE, deriveSubscriberCredentials);
  await store.openTable(REGISTRATIONS_TABLE, RegistrationProfile);
  // Any non-null string is >= '': the profiles that still hold a password.
  const plain = await store.find(SUBSCRIBERS_TABLE, (q) => q.greaterThanOrEquals('password', ''));
  const migration: SubscriberMigration = { hashed: [], cleared: [] };
  for (const record of plain) {
    try {
      await store.updateProfile(SUBSCRIBERS_TABLE, record.name, { password: record.values['password'] });
      migration.hashed.push(record.name);
    } catch (err) {
      await store.updateProfile(SUBSCRIBERS_TABLE, record.name, { password: null });
      migration.cleared.push({ name: record.name, reason: (err as Error).message });
    }
  }
  if (plain.length > 0) await store.eraseFreedSpace();
  return migration;
}
