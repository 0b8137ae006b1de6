import { InitialEvent, Sbb, Service, Tracer } from 'sleet';
import { ProfileFacility } from 'sleet/profiles';
import { NameAddr, SipUri, addressOfRequest, type SipRequestEvent } from 'sleet/sip';
import type { BlocklistEntry } from './blocklist-entry-profile.js';
import { callerIdentity } from './caller-identity.js';
import { findBlockingEntry } from './find-blocking-entry.js';

/** Reject statuses an entry may ask for; anything else falls back to 603 Decline. */
const REJECT_STATUSES = new Set([403, 603]);

/**
 * Screens incoming INVITEs against the callee's block list (table
 * `blocklist`). Priority 50: after digest auth (100), before call forwarding
 * (40) and the location proxy (10), so a blocked call is never forwarded.
 * `skipAnswered`: an INVITE digest auth challenged never reaches it.
 */
@Service({ name: 'CallScreening', vendor: 'sleet', version: '1.0', priority: 50, skipAnswered: true })
@Sbb()
export class CallScreeningSbb {
  constructor(
    private readonly profiles: ProfileFacility,
    private readonly tracer: Tracer,
  ) {}

  @InitialEvent({ select: ['ActivityContext'] })
  async onInvite({ request, transaction }: SipRequestEvent): Promise<void> {
    const callee = addressOfRequest(request);
    if (callee === undefined) return;
    const caller = callerIdentity(request);
    const entry = await findBlockingEntry(this.profiles, callee, caller);
    if (entry === undefined) return;
    this.tracer.info(`screened ${caller.address} calling ${callee}: ${describe(entry)}`);
    if (entry.action === 'redirect' && entry.announcement) {
      // `contact` in ResponseOptions applies to 1xx/2xx only; a 3xx carries its Contact as a header.
      transaction.respond(302, { headers: { Contact: new NameAddr(SipUri.parse(entry.announcement)).toString() } });
    } else {
      transaction.respond(REJECT_STATUSES.has(entry.status) ? entry.status : 603);
    }
  }
}

function describe(entry: BlocklistEntry): string {
  const rule = entry.match === 'anonymous' ? 'anonymous' : `${entry.match} ${entry.pattern ?? ''}`;
  return entry.action === 'redirect' ? `${rule} → redirect to ${entry.announcement ?? '?'}` : `${rule} → ${entry.status}`;
}
