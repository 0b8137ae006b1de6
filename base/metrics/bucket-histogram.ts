/**
 * A histogram kept as plain numbers: `observe` walks a short array of upper
 * bounds and bumps one slot, so it can sit on a hot path. Exporters read
 * `counts` (one per bound, plus the +Inf slot, not cumulative) and `sum`.
 */
export class BucketHistogram {
  readonly counts: Float64Array;
  sum = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
  }

  get count(): number {
    let total = 0;
    for (const c of this.counts) total += c;
    return total;
  }
}

/** Seconds from 5 ms to 30 s: call set-up and handler times. */
export const LATENCY_BOUNDS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
