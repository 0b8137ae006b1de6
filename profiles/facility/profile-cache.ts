import type { ProfileRecord } from '../storage/profile-record.js';

/**
 * What a cached read depends on: one profile by name, any profile of the
 * table, or (an equality lookup on a string attribute, such as an address
 * profile or a registrar's bindings of one AOR) the profiles whose attribute
 * has that value.
 */
export type CacheScope = 'name' | 'table' | ValueScope;

interface ValueScope {
  readonly attribute: string;
  readonly value: string;
}

const BY_NAME = 0;
const BY_TABLE = 1;
const BY_VALUE = 2;

interface Entry {
  readonly value: unknown;
  /** The cache's sequence number when the read began: a change numbered above it may not be in the value. */
  readonly stamp: number;
  readonly scope: typeof BY_NAME | typeof BY_TABLE | typeof BY_VALUE;
  /** The attribute value a BY_VALUE entry depends on (`valueKey`). */
  readonly valueKey: string | undefined;
  /** The cache's use count when this entry last moved to the most-recent end. */
  touched: number;
}

/** Sequence numbers of a table's last changes, by what they may have touched. */
interface TableMarks {
  /** Any profile. */
  changed: number;
  /** Any profile, its attribute values unknown (another node's change, a rolled-back write). */
  valuesUnknown: number;
  /** Everything: the table was removed, renamed or upgraded. */
  whole: number;
  /** Attributes that equality lookups depend on: their values are recorded on each change. */
  readonly pinned: Set<string>;
}

/** MySQL's PAD SPACE collations compare 'a' and 'a ' equal: one key for both. */
function valueKey(table: string, attribute: string, value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x20) end--;
  return `${table}\u0000${attribute}\u0000${end === value.length ? value : value.slice(0, end)}`;
}

/**
 * A bounded LRU of profile reads. A read by name is dropped when that
 * profile changes; an equality lookup when a profile with that attribute
 * value (before or after the change) changes; any other lookup when any
 * profile of the table changes. So a registrar storing one user's bindings
 * leaves every other user's cached bindings alone.
 *
 * Every change takes the next sequence number; a read takes the current one
 * as its stamp before it goes to the store, and its value is kept only while
 * no change it depends on is numbered above the stamp. That also keeps out a
 * value read before a change finished. The values changes touched are kept
 * for as many changes as the cache holds entries; a value forgotten counts
 * as changed at the newest number forgotten.
 *
 * Recency is approximate: a hit moves its entry to the most-recent end only
 * when a quarter of the capacity has been used since it last moved. Hot
 * entries then cost a lookup, not a delete and re-insert on a large Map, and
 * nothing that moved within the last quarter can be the one evicted.
 */
export class ProfileCache {
  private readonly entries = new Map<string, Entry>();
  private readonly tables = new Map<string, TableMarks>();
  /** Value key → number of the last change that touched it, oldest first. */
  private readonly valueChanges = new Map<string, number>();
  /** The newest number dropped from `valueChanges`. */
  private forgottenUpTo = 0;
  private sequence = 0;
  private uses = 0;
  /** Lookups answered from the cache, and those that were not (metrics: the hit ratio). */
  hits = 0;
  misses = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The stamp for a read about to go to the store; a value scope's attribute is recorded on changes from now on. */
  stamp(table: string, scope: CacheScope): number {
    if (typeof scope === 'object') this.marks(table).pinned.add(scope.attribute);
    return this.sequence;
  }

  /** Returns the cached value, or `undefined` on a miss (absent profiles are cached as null). */
  get(table: string, key: string): unknown {
    const k = `${table}\u0000${key}`;
    const entry = this.entries.get(k);
    if (entry === undefined || !this.holds(table, entry.scope, entry.valueKey, entry.stamp)) {
      if (entry !== undefined) this.entries.delete(k);
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

  /** Stores a value read since `stamp`; ignored if something it depends on changed since. */
  put(table: string, key: string, value: ProfileRecord | ProfileRecord[] | null, stamp: number, scope: CacheScope): void {
    if (this.capacity <= 0) return;
    const kind = scope === 'name' ? BY_NAME : scope === 'table' ? BY_TABLE : BY_VALUE;
    const vk = typeof scope === 'object' ? valueKey(table, scope.attribute, scope.value) : undefined;
    // A read by name checks the whole table here, as it cannot tell which profile changed during the read.
    if (!this.holds(table, kind === BY_NAME ? BY_TABLE : kind, vk, stamp)) return;
    const k = `${table}\u0000${key}`;
    this.entries.delete(k);
    this.entries.set(k, { value, stamp, scope: kind, valueKey: vk, touched: ++this.uses });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /**
   * A profile changed: its by-name entry goes, and so do the table's lookups
   * that may have seen it. `records` are its committed states before and
   * after; without them every equality lookup of the table goes too.
   */
  profileChanged(table: string, name: string, records?: readonly ProfileRecord[]): void {
    const n = ++this.sequence;
    const marks = this.marks(table);
    marks.changed = n;
    this.entries.delete(`${table}\u0000n:${name}`);
    if (records === undefined) {
      marks.valuesUnknown = n;
      return;
    }
    for (const attribute of marks.pinned) {
      for (const record of records) {
        const value = record.values[attribute];
        if (typeof value === 'string') this.valueChanged(valueKey(table, attribute, value), n);
      }
    }
  }

  /** A table was removed, renamed or upgraded: nothing cached for it holds. */
  invalidateTable(table: string): void {
    const n = ++this.sequence;
    const marks = this.marks(table);
    marks.changed = marks.valuesUnknown = marks.whole = n;
  }

  private holds(table: string, scope: Entry['scope'], vk: string | undefined, stamp: number): boolean {
    const marks = this.tables.get(table);
    if (marks === undefined) return true;
    if (marks.whole > stamp) return false;
    if (scope === BY_TABLE) return marks.changed <= stamp;
    if (scope === BY_VALUE) return marks.valuesUnknown <= stamp && (this.valueChanges.get(vk!) ?? this.forgottenUpTo) <= stamp;
    return true;
  }

  private valueChanged(key: string, n: number): void {
    this.valueChanges.delete(key);
    this.valueChanges.set(key, n);
    if (this.valueChanges.size > Math.max(this.capacity, 1)) {
      const [oldest, at] = this.valueChanges.entries().next().value!;
      this.valueChanges.delete(oldest);
      this.forgottenUpTo = at;
    }
  }

  private marks(table: string): TableMarks {
    let marks = this.tables.get(table);
    if (marks === undefined) this.tables.set(table, (marks = { changed: 0, valuesUnknown: 0, whole: 0, pinned: new Set() }));
    return marks;
  }
}
