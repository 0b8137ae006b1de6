import { normaliseAddress } from './ip-address.js';

/**
 * Incoming connections held per remote address and in total, so that one
 * address cannot take every slot: a flood from one source is refused at its
 * own limit while other sources still get in.
 */
export class SourceCounter {
  private readonly bySource = new Map<string, number>();
  private count = 0;

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerSource: number,
  ) {}

  get total(): number {
    return this.count;
  }

  /** Takes a slot for `address`; false when the total or that source's limit is reached. */
  acquire(address: string): boolean {
    const key = normaliseAddress(address);
    const held = this.bySource.get(key) ?? 0;
    if (this.count >= this.maxTotal || held >= this.maxPerSource) return false;
    this.bySource.set(key, held + 1);
    this.count++;
    return true;
  }

  release(address: string): void {
    const key = normaliseAddress(address);
    const held = this.bySource.get(key);
    if (held === undefined) return;
    if (held <= 1) this.bySource.delete(key);
    else this.bySource.set(key, held - 1);
    this.count--;
  }
}
