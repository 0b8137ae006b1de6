import type { ProfileStore } from '../../profiles/index.js';
import { REGISTRATIONS_TABLE } from './registration-profile.js';

/** Removes every binding whose expiry has passed; returns how many. Lookups already ignore them: this only reclaims rows. */
export async function sweepExpiredRegistrations(store: ProfileStore, now: number = Date.now()): Promise<number> {
  const expired = await store.find(REGISTRATIONS_TABLE, (q) => q.lessThanOrEquals('expiresAt', now));
  let removed = 0;
  for (const record of expired) {
    try {
      await store.removeProfile(REGISTRATIONS_TABLE, record.name);
      removed++;
    } catch {
      // A REGISTER refreshed or removed it meanwhile: nothing left to reclaim.
    }
  }
  return removed;
}

/** Sweeps every `intervalMs` (default one minute) until `stop()`; the node starts one next to the SIP RA. */
export function startRegistrationSweeper(store: ProfileStore, options: { intervalMs?: number; onError?: (err: unknown) => void } = {}): { stop(): void } {
  const timer = setInterval(() => {
    sweepExpiredRegistrations(store).catch((err: unknown) => options.onError?.(err));
  }, options.intervalMs ?? 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
