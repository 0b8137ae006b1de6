import type { ProfileRecord } from '../storage/profile-record.js';

interface Entry {
  readonly value: unknown;
  /** Table generation the value was read at; lookups by address/query are valid only at that generation. */
  readonly generation: number;
  readonly byName: boolean;
  /** The cache's use count when this entry last moved to the most-recent end. */
  touched: number;
}

/**
 * A bounded LRU of profile reads. Reads by profile name are dropped when that
 * profile changes; lookups by address or query depend on any profile of the
 * table, so they are tied to the table's generation, which every change bumps.
 * A value read before a change finished is never stored (generation check).
 *
 * Recency is approximate: a hit moves its entry to the most-recent end only
 * when a quarter of the capacity has been used since it last moved. Hot
 * entries then cost a lookup, not a delete and re-insert on a large Map, and
 * nothing that moved within the last quarter can be the one evicted.
 */
export class ProfileCache {
  private readonly entries = new Map<string, Entry>();
  private readonly generations = new Map<string, number>();
  private uses = 0;
  /** Lookups answered from the cache, and those that were not (metrics: the hit ratio). */
  hits = 0;
  misses = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  generation(table: string): number {
    return this.generations.get(table) ?? 0;
  }

  /** Returns the cached value, or `undefined` on a miss (absent profiles are cached as null). */
  get(table: string, key: string): unknown {
    const k = `${table}\u0000${key}`;
    const entry = this.entries.get(k);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    if (!entry.byName && entry.generation !== this.generation(table)) {
      this.entries.delete(k);
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.uses++;
    if (this.uses - entry.touched > this.capacity >> 2) {
      entry.touched = this.uses;
      this.entries.delete(k);
      this.entries.set(k, entry);
    }
    return entry.value;
  }

  /** Stores a value read at `generation`; ignored if the table changed since. */
  put(table: string, key: string, value: ProfileRecord | ProfileRecord[] | null, generation: number, byName: boolean): void {
    if (generation !== this.generation(table) || this.capacity <= 0) return;
    const k = `${table}\u0000${key}`;
    this.entries.delete(k);
    this.entries.set(k, { value, generation, byName, touched: ++this.uses });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** A profile changed: drop its by-name entry and invalidate the table's other lookups. */
  invalidateProfile(table: string, nameKey: string): void {
    this.generations.set(table, this.generation(table) + 1);
    this.entries.delete(`${table}\u0000${nameKey}`);
  }

  /** A table was removed, renamed or upgraded: drop everything cached for it. */
  invalidateTable(table: string): void {
    this.generations.set(table, this.generation(table) + 1);
    const prefix = `${table}\u0000`;
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
