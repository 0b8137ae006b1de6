import { addressOfRecord, type SipUri } from '../../resource-adaptors/sip/message/index.js';

/**
 * The address of record of a SIP URI with a user: `sip:user@host`, host
 * lower-cased, no port or parameters, a sips: URI under its sip: twin
 * (`addressOfRecord`); undefined for any other URI.
 */
export function aorOf(uri: SipUri): string | undefined {
  if (!uri.isSip || uri.user === undefined) return undefined;
  return addressOfRecord(uri);
}
