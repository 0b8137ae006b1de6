import type { ActivityContext } from '../activity/activity-context.js';
import type { ActivityLifecycle } from '../activity/activity-lifecycle.js';
import type { ReplicationTracker } from './replication-tracker.js';

/** How the activities of one owner (a resource-adaptor entity) are recreated when this node takes one over by id. */
interface Adopter {
  recreate: (handle: string, adaptorState: unknown) => object | null;
  adopted: (handle: string) => void;
}

/** The activity object to adopt, or how to rebuild it from the state its adaptor replicated (null: it cannot be). */
export type AdoptedActivity = object | ((adaptorState: unknown) => object | null);

/** In a cluster: taking over an activity that another node replicated, with its SBB entities. */
export class ActivityAdoption {
  private readonly adopters = new Map<string, Adopter>();

  constructor(
    private readonly lifecycle: ActivityLifecycle,
    private readonly replication: ReplicationTracker | null,
  ) {}

  /**
   * The activity context another node replicated under this owner and
   * handle, rebuilt here with its SBB entities on the given activity object,
   * so that this node takes the activity over. Null when no node replicated
   * it (or it has ended); the one held here if there is one. A function
   * given for the activity builds it from the adaptor state replicated.
   */
  async adopt(owner: string, handle: string, activity: AdoptedActivity): Promise<ActivityContext | null> {
    const held = this.lifecycle.byHandle(owner, handle);
    if (held || !this.replication) return held ?? null;
    const loaded = await this.replication.port.load(handle, `${owner}/${handle}`);
    const raced = this.lifecycle.byHandle(owner, handle);
    if (raced || !loaded?.activity.data) return raced ?? null;
    const object = typeof activity === 'function' ? activity(loaded.activity.data.adaptorState) : activity;
    if (object === null) return null;
    const ac = this.lifecycle.start(owner, handle, object);
    if (this.replication.adopt(ac, loaded)) return ac;
    this.lifecycle.discard(ac);
    return null;
  }

  /** Registers how the activities of an owner are recreated when this node takes one over by id. */
  onAdopted(owner: string, recreate: (handle: string, adaptorState: unknown) => object | null, adopted: (handle: string) => void): void {
    this.adopters.set(owner, { recreate, adopted });
  }

  /**
   * The activity context with this id, taken over from the node that
   * replicated it when this node does not hold it, its owner recreating the
   * activity object from the state its adaptor replicated. Undefined when
   * neither can be done.
   */
  async adoptById(id: string): Promise<ActivityContext | undefined> {
    const held = this.lifecycle.byId(id);
    if (held) return held;
    const slash = id.indexOf('/');
    const owner = id.slice(0, slash);
    const handle = id.slice(slash + 1);
    const adopter = slash > 0 ? this.adopters.get(owner) : undefined;
    if (!adopter) return undefined;
    const ac = await this.adopt(owner, handle, (adaptorState) => adopter.recreate(handle, adaptorState));
    if (ac) adopter.adopted(handle);
    return ac ?? undefined;
  }
}
