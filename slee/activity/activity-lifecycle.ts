import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ComponentId } from '../component-model/component-id.js';
import { componentKey } from '../component-model/component-id.js';
import type { EventType } from '../component-model/event-type.js';
import type { KernelStats } from '../container/kernel-stats.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { TimerManager } from '../facilities/timer/timer-manager.js';
import type { EventRouter } from '../router/event-router.js';
import type { StateTable } from '../store/state-table.js';
import { ActivityContext } from './activity-context.js';
import type { ActivityContextInterface } from './activity-context-interface.js';
import { AciView } from './aci-view.js';
import { ActivityEndEventType } from './activity-end-event.js';

/** What starting, firing on and ending activities needs of the rest of the kernel. */
export interface ActivityLifecycleHost {
  readonly activities: StateTable<string, ActivityContext>;
  readonly names: StateTable<string, ActivityContext>;
  readonly stats: KernelStats;
  readonly router: Pick<EventRouter, 'enqueue'>;
  readonly timers: Pick<TimerManager, 'cancel'>;
  /** In a cluster, what replicates activities: an ended one is deleted from the shared store. */
  readonly replication: { activityEnded(ac: ActivityContext): void } | null;
  /** Detaches every entity from an ended activity; returns the roots of their trees. */
  detachAll(ac: ActivityContext): Set<SbbEntity>;
  maybeRemoveTree(root: SbbEntity): void;
}

/** Activities from start to end: their contexts, the events fired on them, and who is told when they end. */
export class ActivityLifecycle {
  private readonly byActivity = new WeakMap<object, ActivityContext>();
  private readonly endListeners = new Map<string, (ac: ActivityContext) => void>();
  private nextHandle = 1;
  private activitySeq = 0;

  constructor(private readonly host: ActivityLifecycleHost) {}

  /** The start order the next activity gets. */
  get nextSeq(): number {
    return this.activitySeq;
  }

  /** A number for a handle the SLEE makes up for an activity of its own. */
  handleNumber(): number {
    return this.nextHandle++;
  }

  start(owner: string | null, handle: string, activity: object): ActivityContext {
    const id = `${owner ?? 'slee'}/${handle}`;
    if (this.host.activities.has(id)) {
      throw new SleetError(ErrorCode.UNRECOGNIZED_ACTIVITY, `activity ${id} is already started`);
    }
    const ac = new ActivityContext(id, handle, activity, owner, this.activitySeq++);
    this.host.activities.set(id, ac);
    this.byActivity.set(activity, ac);
    this.host.stats.activitiesStarted++;
    return ac;
  }

  /** Forgets an activity that never got going: a rolled-back null activity, a failed takeover. */
  discard(ac: ActivityContext): void {
    this.host.activities.delete(ac.id);
    ac.state = 'ended';
  }

  byId(id: string): ActivityContext | undefined {
    return this.host.activities.get(id);
  }

  byHandle(owner: string | null, handle: string): ActivityContext | undefined {
    return this.host.activities.get(`${owner ?? 'slee'}/${handle}`);
  }

  /** The activity context behind an ACI or an activity object. */
  of(aciOrActivity: ActivityContextInterface | object): ActivityContext {
    const ac = aciOrActivity instanceof AciView ? aciOrActivity.context : this.byActivity.get(aciOrActivity);
    if (!ac || ac.state === 'ended') {
      throw new SleetError(ErrorCode.UNRECOGNIZED_ACTIVITY, 'the activity is not known to the SLEE, or has ended');
    }
    return ac;
  }

  /** Registers what to call when activities of an owner (a resource-adaptor entity) have ended. */
  onEnded(owner: string, listener: (ac: ActivityContext) => void): void {
    this.endListeners.set(owner, listener);
  }

  /** Starts ending an activity: an ActivityEndEvent is queued behind its pending events. */
  end(ac: ActivityContext): void {
    if (ac.state !== 'active') return;
    ac.state = 'ending';
    this.host.router.enqueue(ac, ActivityEndEventType, { activityContextId: ac.id }, null, null);
  }

  /** After the end event is delivered: detach everyone, unbind names, cancel timers, forget the activity. */
  finish(ac: ActivityContext): void {
    ac.state = 'ended';
    const roots = this.host.detachAll(ac);
    for (const name of ac.names) if (this.host.names.get(name) === ac) this.host.names.delete(name);
    ac.names.clear();
    // A backend's asynchronous failure is reported by the timer manager itself.
    for (const timerId of [...ac.timers]) void this.host.timers.cancel(timerId, ac);
    this.host.activities.delete(ac.id);
    this.host.replication?.activityEnded(ac);
    this.host.stats.activitiesEnded++;
    if (ac.owner) this.endListeners.get(ac.owner)?.(ac);
    for (const root of roots) this.host.maybeRemoveTree(root);
  }

  fire(
    ac: ActivityContext,
    type: EventType,
    event: unknown,
    address: string | null,
    service: ComponentId | null,
    done?: (failed: boolean, delivered: number, answeredBy?: string) => void,
    answered?: () => boolean,
  ): void {
    if (ac.state === 'ended') {
      throw new SleetError(ErrorCode.UNRECOGNIZED_ACTIVITY, `cannot fire ${type.key} on ended activity ${ac.id}`);
    }
    if (ac.state === 'ending') {
      throw new SleetError(ErrorCode.ACTIVITY_ENDING, `cannot fire ${type.key} on activity ${ac.id}: it is ending`);
    }
    this.host.stats.eventsFired++;
    this.host.router.enqueue(ac, type, event, address, service ? componentKey(service) : null, done, answered);
  }
}
