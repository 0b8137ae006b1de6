import { LocationService, aorOf } from 'sleet/sbbs';
import { SipUri, type SipProvider } from 'sleet/sip';

/**
 * Where a forwarding target is reached: a user of one of our domains at
 * its registered contacts (none when unregistered), anything else as is.
 */
export async function forwardingTargets(sip: SipProvider, location: LocationService, target: string): Promise<string[]> {
  const uri = SipUri.parse(target);
  if (!uri.isSip || uri.user === undefined || !sip.isLocal(uri.host, uri.port)) return [target];
  const aor = aorOf(uri);
  return aor === undefined ? [] : (await location.lookup(aor)).map((b) => b.contact);
}
