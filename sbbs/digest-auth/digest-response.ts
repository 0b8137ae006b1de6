import { digestHash, type DigestAlgorithm } from './digest-algorithm.js';

export interface DigestInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  /** With qop=auth: the nonce count (8 hex digits) and client nonce. */
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
}

/** The `response` value (RFC 2617 §3.2.2.1, RFC 8760 §3): KD(H(A1), nonce[:nc:cnonce:qop]:H(A2)). */
export function digestResponse(input: DigestInput): string {
  const ha1 = digestHash(input.algorithm, `${input.username}:${input.realm}:${input.password}`);
  const ha2 = digestHash(input.algorithm, `${input.method}:${input.uri}`);
  const middle = input.qop === undefined ? input.nonce : `${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}`;
  return digestHash(input.algorithm, `${ha1}:${middle}:${ha2}`);
}
