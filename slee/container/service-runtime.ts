import type { Container } from 'inversify';
import type { ServiceComponent } from '../deployment/service-component.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { ActivityContext } from '../activity/activity-context.js';
import type { SbbObjectPool } from '../entity/sbb-object-pool.js';
import type { ServiceState } from './slee-state.js';
import type { SleeStateStore } from '../store/slee-state-store.js';
import type { StateTable } from '../store/state-table.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

/** A deployed service: its model, state, DI container, object pools and root entities. */
export class ServiceRuntime {
  state: ServiceState = 'INACTIVE';
  /** The service's activity while it is active in a running SLEE. */
  serviceActivity: ActivityContext | null = null;
  /** Root entities by convergence name. */
  readonly roots: StateTable<string, SbbEntity>;
  readonly pools = new Map<string, SbbObjectPool>();
  /** Event type key → the handler method of the root for initial events. */
  readonly initialEventKeys: ReadonlySet<string>;
  /** The version this one replaced in a versioned upgrade, while it drains; activities it owns stay on it. */
  predecessor: ServiceRuntime | null = null;
  /** Activities whose `seq` is below this started before the upgrade, so they belong to the predecessor. */
  cutover = 0;

  constructor(
    readonly model: ServiceComponent,
    readonly container: Container,
    store: SleeStateStore,
  ) {
    this.roots = store.roots(model.key);
    this.initialEventKeys = new Set([...model.root.handlers.values()].filter((h) => h.initial).map((h) => h.eventType.key));
  }

  get key(): string {
    return this.model.key;
  }

  pool(sbbKey: string): SbbObjectPool {
    const pool = this.pools.get(sbbKey);
    if (!pool) throw new SleetError(ErrorCode.INTERNAL, `no object pool for ${sbbKey} in service ${this.key}`);
    return pool;
  }
}
