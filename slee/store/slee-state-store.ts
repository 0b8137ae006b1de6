import type { ActivityContext } from '../activity/activity-context.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { StateTable } from './state-table.js';

/**
 * Where the container keeps its state: SBB entities, activity contexts,
 * activity-context names, and each service's root entities by convergence
 * name. Every change goes through a transactional kernel operation, and a
 * transaction's commit is the one point where the changed rows are known,
 * which is where a clustered store writes them.
 */
export interface SleeStateStore {
  readonly entities: StateTable<string, SbbEntity>;
  readonly activities: StateTable<string, ActivityContext>;
  readonly names: StateTable<string, ActivityContext>;
  /** The root entities of one service, by convergence name. */
  roots(serviceKey: string): StateTable<string, SbbEntity>;
  /** Forgets a service's root table when the service is uninstalled. */
  dropRoots(serviceKey: string): void;
}
