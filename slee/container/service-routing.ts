import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ActivityContext } from '../activity/activity-context.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * Which service, and which version of it, takes an event: the index of
 * initial event types over ACTIVE services, and the routing of a versioned
 * upgrade (docs/architecture.md, "Versioned upgrade routing").
 */
export class ServiceRouting {
  /** Services that take each event type as initial, highest priority first; only ACTIVE ones. */
  private initialIndex = new Map<string, ServiceRuntime[]>();

  constructor(
    readonly services: Map<string, ServiceRuntime>,
    /** The start order the next activity will get: an upgrade's cut. */
    private readonly nextActivitySeq: () => number,
    /** Told when a STOPPING service has drained and become INACTIVE. */
    private readonly drained: (runtime: ServiceRuntime) => void,
  ) {}

  /** Rebuilds the initial-event index after a service changes state. */
  reindex(): void {
    const index = new Map<string, ServiceRuntime[]>();
    for (const runtime of this.services.values()) {
      if (runtime.state !== 'ACTIVE') continue;
      for (const key of runtime.initialEventKeys) {
        const list = index.get(key) ?? [];
        list.push(runtime);
        index.set(key, list);
      }
    }
    for (const list of index.values()) list.sort((a, b) => b.model.priority - a.model.priority);
    this.initialIndex = index;
  }

  initialServicesFor(eventKey: string): readonly ServiceRuntime[] {
    return this.initialIndex.get(eventKey) ?? [];
  }

  /** Records a versioned upgrade: activities started from now on go to `next`, the others stay with `previous`. */
  upgraded(previous: ServiceRuntime, next: ServiceRuntime): void {
    next.predecessor = previous;
    next.cutover = this.nextActivitySeq();
  }

  /**
   * The version of a service that takes initial events on `ac`: the oldest
   * still-draining predecessor that the activity started under, or that has
   * an entity attached to it, so that an upgrade never splits an activity
   * between versions.
   */
  versionFor(runtime: ServiceRuntime, ac: ActivityContext): ServiceRuntime {
    let chosen = runtime;
    for (let newer = runtime, older = runtime.predecessor; older; newer = older, older = older.predecessor) {
      if (older.state !== 'STOPPING') continue;
      if (ac.seq < newer.cutover || hasEntityOf(ac, older)) chosen = older;
    }
    return chosen;
  }

  runtimeOf(entity: SbbEntity): ServiceRuntime {
    const runtime = this.services.get(entity.service.key);
    if (!runtime) throw new SleetError(ErrorCode.INTERNAL, `service ${entity.service.key} of entity ${entity.id} is not deployed`);
    return runtime;
  }

  /** A STOPPING service becomes INACTIVE once its last root entity is gone. */
  mayBeDrained(runtime: ServiceRuntime): void {
    if (runtime.state === 'STOPPING' && runtime.roots.size === 0) {
      runtime.state = 'INACTIVE';
      // Its successors forget it, so an uninstalled version's code can be collected.
      for (const other of this.services.values()) {
        if (other.predecessor !== runtime) continue;
        other.predecessor = runtime.predecessor;
        other.cutover = runtime.cutover;
      }
      runtime.predecessor = null;
      this.drained(runtime);
    }
  }
}

function hasEntityOf(ac: ActivityContext, runtime: ServiceRuntime): boolean {
  for (const entity of ac.attached) if (entity.service.key === runtime.key) return true;
  return false;
}
