import { MetadataKey } from './metadata-keys.js';

export interface UsageParametersMetadata {
  counters: string[];
  samples: string[];
}

/** Declares the usage parameters (counters and samples) an SBB updates. */
export function UsageParameters(parameters: { counters?: string[]; samples?: string[] }): ClassDecorator {
  return (target) => {
    const meta: UsageParametersMetadata = { counters: parameters.counters ?? [], samples: parameters.samples ?? [] };
    Reflect.defineMetadata(MetadataKey.usageParameters, meta, target);
  };
}
