import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';

export interface SampleStatistics {
  count: number;
  min: number;
  max: number;
  mean: number;
  sum: number;
}

export interface UsageSnapshot {
  counters: Record<string, number>;
  samples: Record<string, SampleStatistics>;
}

/** One named set of usage parameters: counters that add up and samples that keep statistics. */
export class UsageParameterSet {
  private readonly counters = new Map<string, number>();
  private readonly samples = new Map<string, SampleStatistics>();

  constructor(
    readonly name: string,
    private readonly counterNames: ReadonlySet<string>,
    private readonly sampleNames: ReadonlySet<string>,
    private readonly onUpdate?: (set: UsageParameterSet, parameter: string, value: number) => void,
  ) {
    for (const c of counterNames) this.counters.set(c, 0);
  }

  increment(counter: string, by = 1): void {
    const value = this.counters.get(counter);
    if (value === undefined) {
      throw new SleetError(ErrorCode.UNKNOWN_USAGE_PARAMETER, `usage set '${this.name}' has no counter '${counter}' (declare it in @UsageParameters)`);
    }
    this.counters.set(counter, value + by);
    this.onUpdate?.(this, counter, value + by);
  }

  sample(parameter: string, value: number): void {
    if (!this.sampleNames.has(parameter)) {
      throw new SleetError(
        ErrorCode.UNKNOWN_USAGE_PARAMETER,
        `usage set '${this.name}' has no sample parameter '${parameter}' (declare it in @UsageParameters)`,
      );
    }
    const s = this.samples.get(parameter);
    if (!s) this.samples.set(parameter, { count: 1, min: value, max: value, mean: value, sum: value });
    else {
      s.count++;
      s.sum += value;
      s.min = Math.min(s.min, value);
      s.max = Math.max(s.max, value);
      s.mean = s.sum / s.count;
    }
    this.onUpdate?.(this, parameter, value);
  }

  counter(name: string): number {
    return this.counters.get(name) ?? 0;
  }

  snapshot(): UsageSnapshot {
    const samples: Record<string, SampleStatistics> = {};
    for (const [k, v] of this.samples) samples[k] = { ...v };
    return { counters: Object.fromEntries(this.counters), samples };
  }

  reset(): void {
    for (const c of this.counters.keys()) this.counters.set(c, 0);
    this.samples.clear();
  }
}
