import type { SipProvider } from 'sleet/sip';

/**
 * A subscriber as a SIP URI. A bare user name belongs to the local domain:
 * it is addressed to this SLEE's own SIP address, whose proxy services
 * route the call to the user's registered contacts.
 */
export function subscriberUri(who: string, sip: SipProvider): string {
  if (/^sips?:/i.test(who)) return who;
  const self = sip.contact().uri;
  return `sip:${who}@${self.host}${self.port === undefined ? '' : `:${self.port}`}`;
}
