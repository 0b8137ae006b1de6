import type { SipUri } from './uri.js';

/** RFC 3966 visual-separator: printed for people, ignored in comparison. */
const VISUAL_SEPARATORS = /[-.()]/g;

/** A telephone number's text without its visual separators (RFC 3966 §4): `+1-212-555-0101` is `+12125550101`. */
export function withoutVisualSeparators(number: string): string {
  return number.replace(VISUAL_SEPARATORS, '');
}

/**
 * The address a user is known by, without port or parameters:
 * `scheme:user@host` (or `scheme:host` without a user) for a SIP URI, hosts
 * in lower case and users as sent (RFC 3261 §19.1.4); a tel: URI's number
 * (see `telAddress`); any other scheme's text as received.
 */
export function uriAddress(uri: SipUri): string {
  if (uri.opaque !== undefined) return uri.scheme === 'tel' ? telAddress(uri.opaque) : `${uri.scheme}:${uri.opaque}`;
  const host = uri.host.toLowerCase();
  return uri.user === undefined ? `${uri.scheme}:${host}` : `${uri.scheme}:${uri.user}@${host}`;
}

/**
 * The address of record a URI names: its `uriAddress`, with a sips: URI
 * filed under its sip: twin, which names the same resource reached over TLS
 * only (RFC 5630 §3.1.1). Registrars and location lookups key on it.
 */
export function addressOfRecord(uri: SipUri): string {
  const address = uriAddress(uri);
  return uri.scheme === 'sips' ? `sip:${address.slice('sips:'.length)}` : address;
}

/**
 * A tel: number as RFC 3966 §4 compares it: visual separators dropped, hex
 * digits in upper case. A local number keeps its phone-context, without
 * which it names no one; the other parameters (isub, ext) do not count.
 */
function telAddress(opaque: string): string {
  const semi = opaque.indexOf(';');
  const number = withoutVisualSeparators(semi === -1 ? opaque : opaque.slice(0, semi)).toUpperCase();
  if (number.startsWith('+') || semi === -1) return `tel:${number}`;
  for (const param of opaque.slice(semi + 1).split(';')) {
    const eq = param.indexOf('=');
    if (eq !== -1 && param.slice(0, eq).toLowerCase() === 'phone-context') {
      const context = param.slice(eq + 1);
      // A context is a domain name or a global number's digits (RFC 3966 §5.1.5).
      return `tel:${number};phone-context=${context.startsWith('+') ? withoutVisualSeparators(context) : context.toLowerCase()}`;
    }
  }
  return `tel:${number}`;
}
