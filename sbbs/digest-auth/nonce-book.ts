import { checkNonce, createNonce } from './nonce.js';

/**
 * `fresh`: issued here, in time; `stale`: validly signed but expired;
 * `unknown`: validly signed and in time, but not in this book (issued before
 * a restart, by another node of the cluster, or evicted); `invalid`: not ours.
 */
export type NonceCheck = 'fresh' | 'stale' | 'unknown' | 'invalid';

export interface NonceBookOptions {
  /** The HMAC key nonces are signed with (the node's `digest-secret`). */
  secret: Buffer;
  ttlMs: number;
  /** Most nonces remembered; the oldest is forgotten first (its next use is answered stale=true). */
  capacity: number;
  now: () => number;
}

interface Entry {
  expiresAt: number;
  /** The highest nc used so far (0: none). */
  highest: number;
  /** Bit i set: nc `highest - i` was used. */
  seen: bigint;
}

/** How far below the highest nc a late request (UDP reordering) may still arrive. */
const WINDOW = 64;
const MASK = (1n << BigInt(WINDOW)) - 1n;

/**
 * The nonces this node issued and the nonce counts used with each, so an
 * Authorization can be used once only (RFC 7616 §3.3 nc, RFC 3261 §22.4).
 * Memory is bounded: entries expire with their nonce, and at most
 * `capacity` are kept.
 */
export class NonceBook {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: NonceBookOptions) {}

  get size(): number {
    return this.entries.size;
  }

  issue(): string {
    const now = this.options.now();
    this.prune(now);
    while (this.entries.size >= this.options.capacity) this.entries.delete(this.entries.keys().next().value!);
    const nonce = createNonce(now, this.options.secret);
    this.entries.set(nonce, { expiresAt: now + this.options.ttlMs, highest: 0, seen: 0n });
    return nonce;
  }

  check(nonce: string): NonceCheck {
    const state = checkNonce(nonce, this.options.ttlMs, this.options.now(), this.options.secret);
    if (state !== 'fresh') return state;
    return this.entries.has(nonce) ? 'fresh' : 'unknown';
  }

  /** Records one use of `nc` with a fresh nonce; false when that nc was used already or is too far behind to tell. */
  use(nonce: string, nc: number): boolean {
    const entry = this.entries.get(nonce);
    if (entry === undefined || !Number.isSafeInteger(nc) || nc < 1) return false;
    if (nc > entry.highest) {
      const shift = nc - entry.highest;
      entry.seen = shift >= WINDOW ? 1n : ((entry.seen << BigInt(shift)) | 1n) & MASK;
      entry.highest = nc;
      return true;
    }
    const offset = entry.highest - nc;
    if (offset >= WINDOW) return false;
    const bit = 1n << BigInt(offset);
    if ((entry.seen & bit) !== 0n) return false;
    entry.seen |= bit;
    return true;
  }

  /** Entries are in issue order, so the expired ones are at the front. */
  private prune(now: number): void {
    for (const [nonce, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(nonce);
    }
  }
}
