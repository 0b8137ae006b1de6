import { z } from 'zod';
import { componentIdSchema, configPropertiesSchema, linkInfoSchema, traceLevelRecordSchema } from './api/schemas.js';

/** What `<dataDir>/resources.json` holds: configured RA entities, link names and trace levels. */
export const persistedResourcesSchema = z.object({
  entities: z.array(z.object({ name: z.string(), type: componentIdSchema, config: configPropertiesSchema, active: z.boolean() })),
  links: z.array(linkInfoSchema),
  traces: z.array(traceLevelRecordSchema),
});

export type PersistedResources = z.infer<typeof persistedResourcesSchema>;

/** Where the management model keeps what operators configured (a StateFile in a node). */
export interface ResourceStateStore {
  load(): Promise<PersistedResources | undefined>;
  save(state: PersistedResources): Promise<void>;
}
