import type { SipProvider } from 'sleet/sip';

/**
 * A party of a call as a SIP URI. A bare user name belongs to the local
 * domain: it is addressed to this SLEE's own SIP address, so the INVITE
 * goes through the domain's proxy services, which route it to the user's
 * registered contacts.
 */
export function partyUri(party: string, sip: SipProvider): string {
  if (/^sips?:/i.test(party)) return party;
  const self = sip.contact().uri;
  return `sip:${party}@${self.host}${self.port === undefined ? '' : `:${self.port}`}`;
}
