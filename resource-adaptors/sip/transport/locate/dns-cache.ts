/**
 * Answers by (type, name) for as long as their TTL says, so the requests of
 * one call do not each ask DNS. Bounded: past `maxEntries` the least
 * recently used entry goes. A TTL of 0 is not kept.
 */
export class DnsCache {
  private readonly entries = new Map<string, { expires: number; records: readonly unknown[] }>();

  constructor(
    private readonly now: () => number,
    private readonly maxEntries: number,
  ) {}

  get<T>(type: string, name: string): readonly T[] | undefined {
    const key = `${type} ${name.toLowerCase()}`;
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expires <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.records as readonly T[];
  }

  set(type: string, name: string, records: readonly unknown[], ttlSeconds: number): void {
    if (ttlSeconds <= 0 || this.maxEntries <= 0) return;
    const key = `${type} ${name.toLowerCase()}`;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { expires: this.now() + ttlSeconds * 1000, records });
  }
}
