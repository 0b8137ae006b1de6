import { createHash, timingSafeEqual } from 'node:crypto';

/** The challenge of a 401: either scheme carries the one token. */
export const HTTP_AUTH_CHALLENGE = 'Bearer realm="sleet", Basic realm="sleet"';

/**
 * Whether an Authorization header carries the token, as `Bearer <token>` or as
 * the password of `Basic` (any user name), so curl -u and webhook tools that
 * know only Basic can call. Digests are compared so the length leaks nothing.
 */
export function httpAuthorized(header: string | undefined, token: string): boolean {
  if (header === undefined) return false;
  const space = header.indexOf(' ');
  if (space < 0) return false;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return sameSecret(value, token);
  if (scheme !== 'basic') return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && sameSecret(decoded.slice(colon + 1), token);
}

function sameSecret(given: string, token: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}
