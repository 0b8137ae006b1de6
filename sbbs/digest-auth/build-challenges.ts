import { DIGEST_ALGORITHMS, type DigestAlgorithm } from './digest-algorithm.js';

export interface ChallengeOptions {
  realm: string;
  nonce: string;
  /** The client's credentials were right but the nonce expired: retry with the new nonce without asking the user. */
  stale?: boolean;
  /** In order of preference; RFC 8760 §2.4: one challenge per algorithm, most preferred first. */
  algorithms?: readonly DigestAlgorithm[];
}

/** `WWW-Authenticate`/`Proxy-Authenticate` values, one per algorithm, all with qop="auth". */
export function buildChallenges(options: ChallengeOptions): string[] {
  return (options.algorithms ?? DIGEST_ALGORITHMS).map(
    (algorithm) => `Digest realm="${quote(options.realm)}", nonce="${options.nonce}", algorithm=${algorithm}, qop="auth"${options.stale ? ', stale=true' : ''}`,
  );
}

function quote(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}
