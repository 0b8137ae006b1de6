import { AddressAttr, Attr, ProfileSpec, Unique } from '../../profiles/index.js';

/** The `subscribers` table: one profile per user of our domains, shared by auth, registrar, screening and forwarding. */
@ProfileSpec({ name: 'SubscriberProfile', vendor: 'sleet', version: '1.0' })
export class SubscriberProfile {
  /** The address of record, `sip:alice@example.com` (lower-case host, no parameters). */
  @AddressAttr() @Unique() address!: string;
  /** The digest username (RFC 3261 §22); unique so credentials name one subscriber. */
  @Unique() username!: string;
  /** Plain: RFC 8760 needs HA1 under both MD5 and SHA-256, so they are computed per request. */
  @Attr({ required: true }) password!: string;
  @Attr() displayName?: string;
}

export const SUBSCRIBERS_TABLE = 'subscribers';

export interface Subscriber {
  address: string;
  username: string;
  password: string;
  displayName?: string | null;
}
