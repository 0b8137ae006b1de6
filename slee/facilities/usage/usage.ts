import type { UsageParameterSet } from './usage-parameter-set.js';

/** The SBB's usage parameters: its default set, and named sets on request. */
export abstract class Usage {
  abstract increment(counter: string, by?: number): void;
  abstract sample(parameter: string, value: number): void;
  abstract named(setName: string): UsageParameterSet;
  abstract get defaultSet(): UsageParameterSet;
}
