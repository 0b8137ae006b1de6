import { Attr, Indexed, ProfileQuery, ProfileSpec, param } from 'sleet/profiles';

/** The profile table call screening reads its entries from. */
export const BLOCKLIST_TABLE = 'blocklist';

/**
 * One block-list entry of one subscriber (table `blocklist`, any profile name).
 * `match` says how `pattern` is compared with the caller:
 * - `address`: the caller's address (`sip:user@host`, `tel:+number`) equals it;
 * - `prefix`: it is the longest prefix of the caller's address (`sip:+4420`),
 *   of its user part (`+4420`; a number's without visual separators) or of
 *   those digits without `+` (`4420`);
 * - `anonymous`: the caller withheld its identity (pattern unused).
 * `action` `reject` answers `status` (603 Decline or 403 Forbidden);
 * `redirect` answers 302 with `announcement` as the Contact.
 */
@ProfileSpec({ name: 'BlocklistEntry', vendor: 'sleet', version: '1.0' })
@ProfileQuery('entries', (q) => q.equals('subscriber', param('subscriber')))
@ProfileQuery('address', (q) => q.and(q.equals('subscriber', param('subscriber')), q.equals('match', 'address'), q.equals('pattern', param('caller'))))
@ProfileQuery('prefix', (q) =>
  q.and(q.equals('subscriber', param('subscriber')), q.equals('match', 'prefix'), q.longestPrefixMatch('pattern', param('caller'))),
)
@ProfileQuery('anonymous', (q) => q.and(q.equals('subscriber', param('subscriber')), q.equals('match', 'anonymous')))
export class BlocklistEntryProfile {
  /** The screened subscriber's address of record (`sip:bob@example.com`). */
  @Indexed() subscriber!: string;
  @Attr({ type: 'enum', values: ['address', 'prefix', 'anonymous'], default: 'address', indexed: true }) match!: string;
  @Indexed() pattern?: string;
  @Attr({ type: 'enum', values: ['reject', 'redirect'], default: 'reject' }) action!: string;
  @Attr({ default: 603 }) status!: number;
  @Attr() announcement?: string;
}

/** The values of a `blocklist` profile as the screening SBB reads them. */
export interface BlocklistEntry {
  subscriber: string;
  match: 'address' | 'prefix' | 'anonymous';
  pattern?: string;
  action: 'reject' | 'redirect';
  status: number;
  announcement?: string;
}
