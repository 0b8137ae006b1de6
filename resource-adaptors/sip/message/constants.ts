import { randomBytes } from 'node:crypto';

/** RFC 3261 §8.1.1.7: branches starting with this cookie were built by an RFC 3261 element. */
export const RFC3261_BRANCH_PREFIX = 'z9hG4bK';

/** Default largest message accepted (the largest UDP payload). */
export const DEFAULT_MAX_MESSAGE_SIZE = 65535;

// One randomBytes() call costs microseconds; drawing from a pool keeps
// branch generation off the forwarding hot path.
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

function randomToken(bytes: number): string {
  if (poolOffset + bytes > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const token = pool.toString('base64url', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return token;
}

/** A fresh Via branch: the magic cookie plus 72 random bits. */
export function generateBranch(): string {
  return RFC3261_BRANCH_PREFIX + randomToken(9);
}

/** A From/To tag with 64 random bits (RFC 3261 §19.3 asks for at least 32). */
export function generateTag(): string {
  return randomToken(8);
}

/** A Call-ID that is globally unique by randomness; the host only helps humans reading traces. */
export function generateCallId(host: string): string {
  return `${randomToken(12)}@${host}`;
}
