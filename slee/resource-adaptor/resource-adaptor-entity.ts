import type { ConfigProperties, ResourceAdaptor } from './resource-adaptor.js';

export type ResourceAdaptorEntityState = 'INACTIVE' | 'ACTIVE' | 'STOPPING';

/** A configured instance of a resource adaptor. */
export class ResourceAdaptorEntity {
  state: ResourceAdaptorEntityState = 'INACTIVE';
  /** Activities this entity has started and the SLEE has not finished. */
  readonly liveActivities = new Set<string>();

  constructor(
    readonly name: string,
    readonly adaptor: ResourceAdaptor,
    public config: ConfigProperties,
  ) {}
}
