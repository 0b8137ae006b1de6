import { EventEmitter } from 'node:events';
import { UsageParameterSet } from './usage-parameter-set.js';

export interface UsageUpdate {
  readonly source: string;
  readonly set: string;
  readonly parameter: string;
  readonly value: number;
}

/** Usage parameter sets per notification source (an SBB within a service), each with a default unnamed set. */
export class UsageRegistry extends EventEmitter<{ update: [UsageUpdate] }> {
  private readonly sets = new Map<string, UsageParameterSet>();

  /** Gets or creates the named set (default: the unnamed one) for a source. */
  parameterSet(source: string, counters: ReadonlySet<string>, samples: ReadonlySet<string>, name = ''): UsageParameterSet {
    const key = `${source}|${name}`;
    let set = this.sets.get(key);
    if (!set) {
      set = new UsageParameterSet(name, counters, samples, (s, parameter, value) => {
        if (this.listenerCount('update') > 0) this.emit('update', { source, set: s.name, parameter, value });
      });
      this.sets.set(key, set);
    }
    return set;
  }

  find(source: string, name = ''): UsageParameterSet | undefined {
    return this.sets.get(`${source}|${name}`);
  }

  list(): Array<{ source: string; set: string; parameters: UsageParameterSet }> {
    return [...this.sets].map(([key, parameters]) => {
      const [source, set] = key.split('|') as [string, string];
      return { source, set, parameters };
    });
  }

  /** Drops every set of a source, when its service is removed. */
  removeSource(source: string): void {
    for (const key of [...this.sets.keys()]) if (key.startsWith(`${source}|`)) this.sets.delete(key);
  }
}
