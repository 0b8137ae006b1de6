import type { ProfileStore } from '../../profiles/storage/profile-store.js';
import type { ProfileFacility } from '../../profiles/facility/profile-facility.js';
import type { MetricRegistry } from '../../slee/facilities/metrics/metric-registry.js';
import { REGISTRATIONS_TABLE } from '../../sbbs/location/registration-profile.js';

/** Registrations not yet expired, and the SBBs' profile cache. */
export function registerTelephonyMetrics(metrics: MetricRegistry, profiles: ProfileStore, facility: ProfileFacility): void {
  metrics.register({ name: 'sleet_sip_registrations_active', help: 'Registered contact bindings that have not expired', type: 'gauge' }, async () => {
    const live = await profiles.find(REGISTRATIONS_TABLE, (q) => q.greaterThan('expiresAt', Date.now()));
    return [{ value: live.length }];
  });
  metrics.register({ name: 'sleet_profile_cache_hits_total', help: 'Profile lookups by SBBs answered from the cache', type: 'counter' }, () => [
    { value: facility.cacheStats.hits },
  ]);
  metrics.register({ name: 'sleet_profile_cache_misses_total', help: 'Profile lookups by SBBs that went to the database', type: 'counter' }, () => [
    { value: facility.cacheStats.misses },
  ]);
  metrics.register({ name: 'sleet_profile_cache_hit_ratio', help: 'Share of profile lookups answered from the cache since start (0-1)', type: 'gauge' }, () => {
    const { hits, misses } = facility.cacheStats;
    return [{ value: hits + misses === 0 ? 0 : hits / (hits + misses) }];
  });
}
