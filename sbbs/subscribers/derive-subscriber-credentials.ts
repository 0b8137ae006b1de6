import type { ProfileWriteTransform } from '../../profiles/index.js';
import { validationError } from '../../profiles/storage/value-validation.js';
import { digestHa1 } from '../digest-auth/digest-response.js';
import { subscriberRealm } from './subscriber-realm.js';

const HASHES = ['ha1Md5', 'ha1Sha256'] as const;

/**
 * The subscribers table's write transform: a given `password` becomes
 * `realm`, `ha1Md5` and `ha1Sha256`, and is stored as null. Without a
 * password a new subscriber needs its hashes and realm (an import of an
 * export), and a change of username or realm needs a new password, since
 * the old hashes would match nothing.
 */
export const deriveSubscriberCredentials: ProfileWriteTransform = (values, before) => {
  const merged = { ...before, ...values };
  const password = values['password'];
  if (password !== undefined && password !== null) {
    if (typeof password !== 'string' || password.length === 0)
      throw validationError('password', `must be a non-empty string (from the CLI quote digits as JSON: --set 'password="123456"')`);
    const username = merged['username'];
    if (typeof username !== 'string') throw validationError('username', 'is required to derive the digest credentials');
    const realm = subscriberRealm(merged['address']);
    return {
      ...values,
      password: null,
      realm,
      ha1Md5: digestHa1('MD5', username, realm, password),
      ha1Sha256: digestHa1('SHA-256', username, realm, password),
    };
  }
  const hashesGiven = HASHES.some((h) => typeof values[h] === 'string');
  if (before === undefined) {
    if (!hashesGiven) throw validationError('password', 'is required (or realm with ha1Md5 and/or ha1Sha256)');
    if (typeof values['realm'] !== 'string') throw validationError('realm', 'is required with ha1Md5/ha1Sha256');
    return { ...values };
  }
  if (hashesGiven) return { ...values };
  const usernameChanged = 'username' in values && values['username'] !== before['username'];
  const realmChanged = 'address' in values && values['address'] !== before['address'] && subscriberRealm(values['address']) !== before['realm'];
  if (usernameChanged || realmChanged || ('realm' in values && values['realm'] !== before['realm'])) {
    throw validationError(usernameChanged ? 'username' : 'realm', 'cannot change without a new password: the stored HA1s cover username and realm');
  }
  return { ...values };
};
