import type { SipUri } from '../../resource-adaptors/sip/message/index.js';

/** The address of record of a URI: `scheme:user@host`, host lower-cased, no port or parameters. */
export function aorOf(uri: SipUri): string | undefined {
  if (!uri.isSip || uri.user === undefined) return undefined;
  return `${uri.scheme}:${uri.user}@${uri.host.toLowerCase()}`;
}
