import { timingSafeEqual } from 'node:crypto';
import { parseDigestAlgorithm, type DigestAlgorithm } from './digest-algorithm.js';
import { digestResponseFromHa1 } from './digest-response.js';
import { parseDigestCredentials, type DigestParams } from './parse-digest-credentials.js';
import type { NonceBook } from './nonce-book.js';

export type DigestVerdict =
  | { result: 'ok'; username: string; algorithm: DigestAlgorithm }
  /** Right digest, but the nonce expired or this node has no record of it: challenge again with stale=true. */
  | { result: 'stale'; username: string }
  /** Right digest with a nonce count already used: a replay, challenged again (not stale). */
  | { result: 'replay'; username: string }
  /** No credentials for this realm: challenge. */
  | { result: 'missing' }
  /** Wrong password, unknown user, foreign nonce or malformed; `realmMismatch` when the user's stored HA1s are for another realm. */
  | { result: 'invalid'; username?: string; realmMismatch?: string };

/** What the server stores for a user: H(A1) per algorithm for one realm. */
export interface StoredCredentials {
  realm: string | null | undefined;
  ha1: Partial<Record<DigestAlgorithm, string | null | undefined>>;
}

export interface VerifyOptions {
  /** Every `Authorization` (or `Proxy-Authorization`) header value of the request. */
  headers: readonly string[];
  method: string;
  realm: string;
  /** Issued nonces and their used nonce counts; a successful check uses up the nc. */
  nonces: NonceBook;
  /** The stored credentials of a username, or undefined when there is no such user. */
  credentialsOf: (username: string) => Promise<StoredCredentials | undefined> | StoredCredentials | undefined;
}

const NC = /^[0-9a-f]{8}$/i;

/** Checks digest credentials (RFC 3261 §22.4, RFC 8760) for our realm: qop=auth or none, MD5 or SHA-256, each nc once. */
export async function verifyDigest(options: VerifyOptions): Promise<DigestVerdict> {
  const mine = options.headers.map(parseDigestCredentials).filter((p): p is DigestParams => p !== undefined && p.get('realm') === options.realm);
  if (mine.length === 0) return { result: 'missing' };
  let verdict: DigestVerdict = { result: 'invalid' };
  for (const params of mine) {
    const checked = await verifyOne(params, options);
    if (checked.result === 'ok') return checked;
    if (checked.result === 'stale' || verdict.result === 'invalid') verdict = checked;
  }
  return verdict;
}

async function verifyOne(params: DigestParams, options: VerifyOptions): Promise<DigestVerdict> {
  const username = params.get('username');
  const nonce = params.get('nonce');
  const uri = params.get('uri');
  const response = params.get('response');
  const algorithm = parseDigestAlgorithm(params.get('algorithm'));
  const qop = params.get('qop');
  const nc = params.get('nc');
  const cnonce = params.get('cnonce');
  if (username === undefined || nonce === undefined || uri === undefined || response === undefined || algorithm === undefined) return { result: 'invalid' };
  if (qop !== undefined && (qop !== 'auth' || nc === undefined || !NC.test(nc) || cnonce === undefined)) return { result: 'invalid', username };
  const state = options.nonces.check(nonce);
  if (state === 'invalid') return { result: 'invalid', username };
  const stored = await options.credentialsOf(username);
  if (stored === undefined) return { result: 'invalid', username };
  if (stored.realm !== options.realm) return { result: 'invalid', username, realmMismatch: stored.realm ?? '(none)' };
  const ha1 = stored.ha1[algorithm];
  if (typeof ha1 !== 'string') return { result: 'invalid', username };
  const expected = digestResponseFromHa1({ algorithm, ha1, method: options.method, uri, nonce, ...(qop === 'auth' ? { qop, nc: nc!, cnonce: cnonce! } : {}) });
  if (!sameText(expected, response.toLowerCase())) return { result: 'invalid', username };
  if (state !== 'fresh') return { result: 'stale', username };
  // Without qop there is no nonce count: such a nonce is good for one request.
  return options.nonces.use(nonce, qop === 'auth' ? parseInt(nc!, 16) : 1) ? { result: 'ok', username, algorithm } : { result: 'replay', username };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
