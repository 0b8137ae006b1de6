import type { ActivityContext } from '../activity/activity-context.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { SleeStateStore } from './slee-state-store.js';

/** The default store: the container's state in this process's memory. */
export class InMemoryStateStore implements SleeStateStore {
  readonly entities = new Map<string, SbbEntity>();
  readonly activities = new Map<string, ActivityContext>();
  readonly names = new Map<string, ActivityContext>();
  private readonly rootTables = new Map<string, Map<string, SbbEntity>>();

  roots(serviceKey: string): Map<string, SbbEntity> {
    let table = this.rootTables.get(serviceKey);
    if (!table) this.rootTables.set(serviceKey, (table = new Map()));
    return table;
  }

  dropRoots(serviceKey: string): void {
    this.rootTables.delete(serviceKey);
  }
}
