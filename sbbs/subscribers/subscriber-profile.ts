import { AddressAttr, Attr, ProfileSpec, Unique } from '../../profiles/index.js';

/**
 * The `subscribers` table: one profile per user of our domains, shared by
 * auth, registrar, screening and forwarding. Digest credentials are kept as
 * H(A1) per algorithm for one realm (RFC 7616 §3.4.2, RFC 8760), never as
 * the password: provisioning gives `password`, the table's write transform
 * (`deriveSubscriberCredentials`) turns it into `realm`, `ha1Md5` and
 * `ha1Sha256` and stores the password as null.
 */
@ProfileSpec({ name: 'SubscriberProfile', vendor: 'sleet', version: '1.1' })
export class SubscriberProfile {
  /** The address of record, `sip:alice@example.com` (lower-case host, no parameters). */
  @AddressAttr() @Unique() address!: string;
  /** The digest username (RFC 3261 §22); unique so credentials name one subscriber. */
  @Unique() username!: string;
  /** Write-only: taken when provisioning, always stored as null. */
  @Attr() password?: string;
  /** The realm the hashes were made for. */
  @Attr() realm?: string;
  /** H(username:realm:password) with MD5, hex. */
  @Attr() ha1Md5?: string;
  /** H(username:realm:password) with SHA-256, hex. */
  @Attr() ha1Sha256?: string;
  @Attr() displayName?: string;
}

export const SUBSCRIBERS_TABLE = 'subscribers';

export interface Subscriber {
  address: string;
  username: string;
  password?: string | null;
  realm?: string | null;
  ha1Md5?: string | null;
  ha1Sha256?: string | null;
  displayName?: string | null;
}
