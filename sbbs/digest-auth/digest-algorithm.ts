import { createHash } from 'node:crypto';

/** RFC 8760 algorithms offered and accepted (the `-sess` variants are not). */
export type DigestAlgorithm = 'SHA-256' | 'MD5';

export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

export function digestHash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
    .update(text, 'utf8')
    .digest('hex');
}

/** The algorithm named in a challenge or credentials (absent means MD5, RFC 2617 §3.2.1), or undefined if unsupported. */
export function parseDigestAlgorithm(name: string | undefined): DigestAlgorithm | undefined {
  if (name === undefined) return 'MD5';
  const upper = name.toUpperCase();
  return upper === 'MD5' || upper === 'SHA-256' ? upper : undefined;
}
