import { SipUri } from '../../resource-adaptors/sip/message/index.js';
import { validationError } from '../../profiles/storage/value-validation.js';
import { digestAuthSettings } from '../digest-auth/digest-auth-settings.js';

/** The realm a subscriber is challenged in: the configured digest realm, else the domain of the address (as the SBB does). */
export function subscriberRealm(address: unknown): string {
  const configured = digestAuthSettings().realm;
  if (configured !== undefined) return configured;
  if (typeof address !== 'string') throw validationError('address', 'is required to derive the digest realm');
  let uri: SipUri;
  try {
    uri = SipUri.parse(address);
  } catch {
    throw validationError('address', 'is not a SIP URI');
  }
  return uri.host.toLowerCase();
}
