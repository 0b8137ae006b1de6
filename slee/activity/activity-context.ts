import type { SbbEntity } from '../entity/sbb-entity.js';
import type { PendingEvent } from '../router/pending-event.js';
import type { Transaction } from '../transaction/transaction.js';

export type ActivityState = 'active' | 'ending' | 'ended';

/**
 * The SLEE's side of an activity: who is attached, its attributes, masks,
 * names and timers, and the queue that keeps its events in order.
 */
export class ActivityContext {
  state: ActivityState = 'active';
  readonly attached = new Set<SbbEntity>();
  readonly attributes = new Map<string, unknown>();
  /** Bumped by each commit that writes attributes; transactions that read an older one conflict. */
  version = 0;
  /** Event type keys masked per attached entity. */
  masks: Map<SbbEntity, Set<string>> | null = null;
  readonly names = new Set<string>();
  readonly timers = new Set<string>();
  readonly queue: PendingEvent[] = [];
  /** True while an event of this activity is being delivered. */
  busy = false;
  /** True while the activity waits in the router's ready list. */
  ready = false;
  /** The transaction of the handler now running on this activity's event, for adaptor effects that must wait for its commit. */
  deliveryTx: Transaction | null = null;

  constructor(
    /** Unique among live activity contexts: the owner plus the owner's handle. */
    readonly id: string,
    readonly handle: string,
    readonly activity: object,
    /** The resource-adaptor entity that started it, or null for SLEE-owned activities. */
    readonly owner: string | null,
    /** Start order among this node's activities: a versioned upgrade keeps those started before it on the old version. */
    readonly seq: number,
  ) {}

  isMasked(entity: SbbEntity, eventKey: string): boolean {
    return this.masks?.get(entity)?.has(eventKey) ?? false;
  }
}
