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

export type Ha1Input = Omit<DigestInput, 'username' | 'realm' | 'password'> & { ha1: string };

/** H(A1) = H(username:realm:password) (RFC 7616 §3.4.2): what the server stores instead of the password. */
export function digestHa1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return digestHash(algorithm, `${username}:${realm}:${password}`);
}

/** The `response` value (RFC 2617 §3.2.2.1, RFC 8760 §3): KD(H(A1), nonce[:nc:cnonce:qop]:H(A2)). */
export function digestResponse(input: DigestInput): string {
  return digestResponseFromHa1({ ...input, ha1: digestHa1(input.algorithm, input.username, input.realm, input.password) });
}

/** The `response` value from a stored H(A1). */
export function digestResponseFromHa1(input: Ha1Input): string {
  const ha2 = digestHash(input.algorithm, `${input.method}:${input.uri}`);
  const middle = input.qop === undefined ? input.nonce : `${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}`;
  return digestHash(input.algorithm, `${input.ha1}:${middle}:${ha2}`);
}
