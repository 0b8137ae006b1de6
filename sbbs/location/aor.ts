import type { SipUri } from '../../resource-adaptors/sip/message/index.js';

/**
 * The address of record of a URI: `sip:user@host`, host lower-cased, no port
 * or parameters. A sips: URI names the same resource as its sip: twin (RFC
 * 5630 §3.1.1), reached over TLS only, so both have one AOR.
 */
export function aorOf(uri: SipUri): string | undefined {
  if (!uri.isSip || uri.user === undefined) return undefined;
  return `sip:${uri.user}@${uri.host.toLowerCase()}`;
}
