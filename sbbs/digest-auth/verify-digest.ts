import { timingSafeEqual } from 'node:crypto';
import { parseDigestAlgorithm, type DigestAlgorithm } from './digest-algorithm.js';
import { digestResponse } from './digest-response.js';
import { parseDigestCredentials, type DigestParams } from './parse-digest-credentials.js';
import { checkNonce } from './nonce.js';

export type DigestVerdict =
  | { result: 'ok'; username: string; algorithm: DigestAlgorithm }
  /** Right password, expired nonce: challenge again with stale=true. */
  | { result: 'stale'; username: string }
  /** No credentials for this realm: challenge. */
  | { result: 'missing' }
  /** Wrong password, unknown user, foreign nonce or malformed: challenge again. */
  | { result: 'invalid'; username?: string };

export interface VerifyOptions {
  /** Every `Authorization` (or `Proxy-Authorization`) header value of the request. */
  headers: readonly string[];
  method: string;
  realm: string;
  nonceTtlMs: number;
  /** The plain password of a username, or undefined when there is no such user. */
  passwordOf: (username: string) => Promise<string | undefined> | string | undefined;
  now?: number;
}

/** Checks digest credentials (RFC 3261 §22.4, RFC 8760) for our realm: qop=auth or none, MD5 or SHA-256. */
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
  if (username === undefined || nonce === undefined || uri === undefined || response === undefined || algorithm === undefined) return { result: 'invalid' };
  if (qop !== undefined && (qop !== 'auth' || params.get('nc') === undefined || params.get('cnonce') === undefined)) return { result: 'invalid', username };
  const password = await options.passwordOf(username);
  if (password === undefined) return { result: 'invalid', username };
  const expected = digestResponse({
    algorithm,
    username,
    realm: options.realm,
    password,
    method: options.method,
    uri,
    nonce,
    ...(qop === 'auth' ? { qop, nc: params.get('nc')!, cnonce: params.get('cnonce')! } : {}),
  });
  if (!sameText(expected, response.toLowerCase())) return { result: 'invalid', username };
  const state = checkNonce(nonce, options.nonceTtlMs, options.now);
  if (state === 'invalid') return { result: 'invalid', username };
  return state === 'stale' ? { result: 'stale', username } : { result: 'ok', username, algorithm };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
