import type { Clock } from '../../base/clock/clock.js';

export interface AuthFailureLimits {
  /** Failures for one digest username within the window that lock it out; 0 disables. */
  maxFailuresPerUser: number;
  /** Failures from one source address within the window that lock it out; 0 disables. */
  maxFailuresPerSource: number;
  failureWindowMs: number;
  lockoutMs: number;
  /** Most users and sources tracked at once; the oldest unlocked one is forgotten first. */
  maxTracked: number;
}

/** `user:<username>` or `source:<address>`. */
export type GuardKey = `user:${string}` | `source:${string}`;

interface Tally {
  failures: number;
  windowStart: number;
  lockedUntil: number;
}

/**
 * Counts failed digest authentications per username and per source address
 * and locks a key out for `lockoutMs` once it reaches its limit within the
 * window. The lockout ends on the clock, which calls back so alarms clear
 * even when no further request arrives.
 */
export class AuthFailureGuard {
  private readonly tallies = new Map<GuardKey, Tally>();

  constructor(
    readonly limits: AuthFailureLimits,
    private readonly clock: Clock,
  ) {}

  /** When the latest lockout among `keys` ends, or undefined when none is locked. */
  lockedUntil(keys: readonly GuardKey[]): number | undefined {
    const now = this.clock.now();
    let until: number | undefined;
    for (const key of keys) {
      const tally = this.tallies.get(key);
      if (tally !== undefined && tally.lockedUntil > now) until = Math.max(until ?? 0, tally.lockedUntil);
    }
    return until;
  }

  /** Counts one failure against each key; returns the keys this failure locked, `onUnlock` runs for each when its lockout ends. */
  fail(keys: readonly GuardKey[], onUnlock: (key: GuardKey) => void): GuardKey[] {
    const now = this.clock.now();
    const locked: GuardKey[] = [];
    for (const key of keys) {
      const limit = key.startsWith('user:') ? this.limits.maxFailuresPerUser : this.limits.maxFailuresPerSource;
      if (limit <= 0) continue;
      const tally = this.tally(key, now);
      if (tally === undefined || tally.lockedUntil > now) continue;
      if (now - tally.windowStart > this.limits.failureWindowMs) {
        tally.failures = 0;
        tally.windowStart = now;
      }
      if (++tally.failures < limit) continue;
      tally.lockedUntil = now + this.limits.lockoutMs;
      locked.push(key);
      this.clock.schedule(this.limits.lockoutMs, () => {
        this.tallies.delete(key);
        onUnlock(key);
      });
    }
    return locked;
  }

  /** A successful authentication forgets the user's earlier failures. */
  succeed(key: GuardKey): void {
    const tally = this.tallies.get(key);
    if (tally !== undefined && tally.lockedUntil <= this.clock.now()) this.tallies.delete(key);
  }

  private tally(key: GuardKey, now: number): Tally | undefined {
    const existing = this.tallies.get(key);
    if (existing !== undefined) return existing;
    if (this.tallies.size >= this.limits.maxTracked) {
      let victim: GuardKey | undefined;
      for (const [k, t] of this.tallies) {
        if (t.lockedUntil > now) continue;
        victim = k;
        break;
      }
      // Every tracked key is locked out: a new one is not counted rather than freeing a locked one.
      if (victim === undefined) return undefined;
      this.tallies.delete(victim);
    }
    const tally = { failures: 0, windowStart: now, lockedUntil: 0 };
    this.tallies.set(key, tally);
    return tally;
  }
}
