import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET = randomBytes(32);

export type NonceState = 'fresh' | 'stale' | 'invalid';

/**
 * A stateless nonce: issue time, random salt and an HMAC over both with a
 * per-process secret, so any nonce we issued can be checked (and its age
 * known) without storing it. A restart invalidates outstanding nonces;
 * clients then simply get a new challenge.
 */
export function createNonce(now: number = Date.now(), secret: Buffer = SECRET): string {
  const body = Buffer.alloc(16);
  body.writeBigUInt64BE(BigInt(now), 0);
  randomBytes(8).copy(body, 8);
  return Buffer.concat([body, mac(body, secret)]).toString('base64url');
}

/** Whether we issued the nonce and it is younger than `ttlMs`. */
export function checkNonce(nonce: string, ttlMs: number, now: number = Date.now(), secret: Buffer = SECRET): NonceState {
  const raw = Buffer.from(nonce, 'base64url');
  if (raw.length !== 32 || raw.toString('base64url') !== nonce) return 'invalid';
  const body = raw.subarray(0, 16);
  if (!timingSafeEqual(raw.subarray(16), mac(body, secret))) return 'invalid';
  const issued = Number(body.readBigUInt64BE(0));
  if (issued > now + 5_000) return 'invalid';
  return now - issued > ttlMs ? 'stale' : 'fresh';
}

function mac(body: Buffer, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(body).digest().subarray(0, 16);
}
