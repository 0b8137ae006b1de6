import type { ProfileFacility } from 'sleet/profiles';
import { BLOCKLIST_TABLE, type BlocklistEntry } from './blocklist-entry-profile.js';
import type { CallerIdentity } from './caller-identity.js';

/**
 * The entry of `subscriber`'s block list that applies to the caller, if any:
 * an exact address entry first, then the longest matching prefix, then an
 * `anonymous` entry for a caller that withheld its identity.
 *
 * The subscriber's whole list is read with one static query and matched here.
 * Every call has another caller, so per-caller queries would miss the profile
 * cache every time; the list per callee stays cached (an empty one too, the
 * usual case) until the table changes.
 */
export async function findBlockingEntry(profiles: ProfileFacility, subscriber: string, caller: CallerIdentity): Promise<BlocklistEntry | undefined> {
  const entries = await profiles.query<BlocklistEntry>(BLOCKLIST_TABLE, 'entries', { subscriber });
  let longest: BlocklistEntry | undefined;
  let anonymous: BlocklistEntry | undefined;
  for (const { values: entry } of entries) {
    const pattern = entry.pattern ?? '';
    if (entry.match === 'address') {
      if (pattern === caller.address) return entry;
    } else if (entry.match === 'prefix') {
      if (pattern.length > (longest?.pattern ?? '').length && caller.prefixCandidates.some((c) => c.startsWith(pattern))) longest = entry;
    } else if (entry.match === 'anonymous') {
      anonymous ??= entry;
    }
  }
  return longest ?? (caller.anonymous ? anonymous : undefined);
}
