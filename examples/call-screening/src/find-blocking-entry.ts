import type { ProfileFacility } from 'sleet/profiles';
import { BLOCKLIST_TABLE, type BlocklistEntry } from './blocklist-entry-profile.js';
import type { CallerIdentity } from './caller-identity.js';

/**
 * The entry of `subscriber`'s block list that applies to the caller, if any:
 * an exact address entry first, then the longest matching prefix, then an
 * `anonymous` entry for a caller that withheld its identity.
 */
export async function findBlockingEntry(profiles: ProfileFacility, subscriber: string, caller: CallerIdentity): Promise<BlocklistEntry | undefined> {
  const [exact] = await profiles.query<BlocklistEntry>(BLOCKLIST_TABLE, 'address', { subscriber, caller: caller.address });
  if (exact !== undefined) return exact.values;
  let longest: BlocklistEntry | undefined;
  for (const candidate of caller.prefixCandidates) {
    const [match] = await profiles.query<BlocklistEntry>(BLOCKLIST_TABLE, 'prefix', { subscriber, caller: candidate });
    if (match !== undefined && (match.values.pattern ?? '').length > (longest?.pattern ?? '').length) longest = match.values;
  }
  if (longest !== undefined) return longest;
  if (!caller.anonymous) return undefined;
  const [anonymous] = await profiles.query<BlocklistEntry>(BLOCKLIST_TABLE, 'anonymous', { subscriber });
  return anonymous?.values;
}
