import type { UsageParameterSet } from './usage-parameter-set.js';
import type { UsageRegistry } from './usage-registry.js';
import { Usage } from './usage.js';

export class UsageView extends Usage {
  private readonly set: UsageParameterSet;

  constructor(
    private readonly registry: UsageRegistry,
    private readonly source: string,
    private readonly counters: ReadonlySet<string>,
    private readonly samples: ReadonlySet<string>,
  ) {
    super();
    this.set = registry.parameterSet(source, counters, samples);
  }

  get defaultSet(): UsageParameterSet {
    return this.set;
  }

  increment(counter: string, by = 1): void {
    this.set.increment(counter, by);
  }

  sample(parameter: string, value: number): void {
    this.set.sample(parameter, value);
  }

  named(setName: string): UsageParameterSet {
    return this.registry.parameterSet(this.source, this.counters, this.samples, setName);
  }
}
