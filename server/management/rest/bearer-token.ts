import { timingSafeEqual, createHash } from 'node:crypto';

/** Checks an `Authorization: Bearer <token>` header in constant time. */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  // Hashing first gives equal lengths, which timingSafeEqual needs.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
