import type { SipUri } from './uri.js';

/**
 * `scheme:user@host` (or `scheme:host` without a user), without port or
 * parameters: the address a user is known by. Hosts compare without case
 * (RFC 3261 §19.1.4), users with it.
 */
export function uriAddress(uri: SipUri): string {
  const host = uri.host.toLowerCase();
  return uri.user === undefined ? `${uri.scheme}:${host}` : `${uri.scheme}:${uri.user}@${host}`;
}
