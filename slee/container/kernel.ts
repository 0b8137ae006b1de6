import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { SleetError } from '../errors/sleet-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import type { EventType } from '../component-model/event-type.js';
import type { ComponentId } from '../component-model/component-id.js';
import { componentKey } from '../component-model/component-id.js';
import type { Clock } from '../clock/clock.js';
import { ActivityContext } from '../activity/activity-context.js';
import { ActivityContextInterface } from '../activity/activity-context-interface.js';
import { AciView } from '../activity/aci-view.js';
import { ActivityEndEventType } from '../activity/activity-end-event.js';
import type { NullActivity } from '../activity/null-activity.js';
import { ServiceStartedEventType, type ServiceActivity } from '../activity/service-started-event.js';
import { EventTypeRegistry } from '../deployment/event-type-registry.js';
import type { ChildRelationModel, LifecycleCallback } from '../deployment/sbb-component.js';
import { SbbEntity } from '../entity/sbb-entity.js';
import type { SbbContextImpl } from '../entity/sbb-context-impl.js';
import { cmpDefaultsOf } from '../entity/sbb-accessors.js';
import { Transaction } from '../transaction/transaction.js';
import { AlarmRegistry } from '../facilities/alarm/alarm-registry.js';
import { TraceRegistry } from '../facilities/trace/trace-registry.js';
import { UsageRegistry } from '../facilities/usage/usage-registry.js';
import { TimerManager } from '../facilities/timer/timer-manager.js';
import { TimerEventType } from '../facilities/timer/timer-event.js';
import type { TimerBackend } from '../facilities/timer/timer-backend.js';
import { InProcessTimerBackend } from '../facilities/timer/in-process-timer-backend.js';
import type { EventContext } from '../router/event-context.js';
import { EventRouter } from '../router/event-router.js';
import { freezeSerialisable } from './cmp-value.js';
import type { ServiceRuntime } from './service-runtime.js';
import type { SleeStateStore } from '../store/slee-state-store.js';
import type { StateTable } from '../store/state-table.js';
import { InMemoryStateStore } from '../store/in-memory-state-store.js';

export const NULL_ACTIVITY_OWNER = 'slee:null-activity';
export const SERVICE_ACTIVITY_OWNER = 'slee:service';

/** Resolves an address to the name of its profile in a service's address profile table. */
export type AddressProfileResolver = (table: string, address: string) => string | null | Promise<string | null>;

export interface KernelOptions {
  logger: Logger;
  clock: Clock;
  timerBackend?: TimerBackend;
  addressProfileResolver?: AddressProfileResolver;
  /** How long a suspended event waits for resumeDelivery() before delivery resumes anyway. */
  suspendTimeoutMs?: number;
  timerDefaultTimeoutMs?: number;
  /** Where container state lives; in memory by default. */
  store?: SleeStateStore;
}

export interface KernelStats {
  eventsFired: number;
  eventsDelivered: number;
  handlerFailures: number;
  entitiesCreated: number;
  entitiesRemoved: number;
  activitiesStarted: number;
  activitiesEnded: number;
}

/**
 * The container's state and the transactional operations on it: activities,
 * SBB entities, attachments, attributes, names and timers. The event router
 * drives deliveries; facilities and SBB views call in here.
 */
export class Kernel extends EventEmitter<{ activityEnded: [ActivityContext]; serviceDrained: [ServiceRuntime] }> {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly eventTypes = new EventTypeRegistry();
  readonly alarms: AlarmRegistry;
  readonly traces: TraceRegistry;
  readonly usage = new UsageRegistry();
  readonly timers: TimerManager;
  readonly router: EventRouter;
  readonly services = new Map<string, ServiceRuntime>();
  readonly store: SleeStateStore;
  readonly entities: StateTable<string, SbbEntity>;
  readonly activities: StateTable<string, ActivityContext>;
  readonly names: StateTable<string, ActivityContext>;
  readonly stats: KernelStats = {
    eventsFired: 0,
    eventsDelivered: 0,
    handlerFailures: 0,
    entitiesCreated: 0,
    entitiesRemoved: 0,
    activitiesStarted: 0,
    activitiesEnded: 0,
  };
  addressProfileResolver: AddressProfileResolver | undefined;
  readonly suspendTimeoutMs: number;
  /** Services that take each event type as initial, highest priority first; only ACTIVE ones. */
  private initialIndex = new Map<string, ServiceRuntime[]>();
  private readonly byActivity = new WeakMap<object, ActivityContext>();
  private readonly endListeners = new Map<string, (ac: ActivityContext) => void>();
  private nextEntity = 1;
  private nextActivity = 1;
  private activitySeq = 0;

  constructor(options: KernelOptions) {
    super();
    this.store = options.store ?? new InMemoryStateStore();
    this.entities = this.store.entities;
    this.activities = this.store.activities;
    this.names = this.store.names;
    this.logger = options.logger;
    this.clock = options.clock;
    this.addressProfileResolver = options.addressProfileResolver;
    this.suspendTimeoutMs = options.suspendTimeoutMs ?? 10_000;
    this.alarms = new AlarmRegistry(() => this.clock.now());
    this.traces = new TraceRegistry(options.logger);
    this.eventTypes.register(ActivityEndEventType);
    this.eventTypes.register(TimerEventType);
    this.eventTypes.register(ServiceStartedEventType);
    this.router = new EventRouter(this);
    this.timers = new TimerManager(
      this.clock,
      options.timerBackend ?? new InProcessTimerBackend(this.clock),
      {
        activityById: (id) => this.activities.get(id),
        fire: (ac, event, address) => this.fire(ac, TimerEventType, event, address, null),
        fireOnNewNullActivity: (event, address) => this.fireOnNewNullActivity(TimerEventType, event, address),
      },
      options.timerDefaultTimeoutMs,
    );
    this.timers.onError = (timerId, err) => {
      this.logger.error({ err, timerId }, 'timer backend failed');
      this.alarms.raise('subsystem:timer-facility', 'sleet.timer.backend-failed', timerId, 'MAJOR', `timer ${timerId} could not be fired or rescheduled`, err);
    };
  }

  // ---- services -------------------------------------------------------

  /** Rebuilds the initial-event index after a service changes state. */
  reindexServices(): void {
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
    next.cutover = this.activitySeq;
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
      if (ac.seq < newer.cutover || this.hasEntityOf(ac, older)) chosen = older;
    }
    return chosen;
  }

  private hasEntityOf(ac: ActivityContext, runtime: ServiceRuntime): boolean {
    for (const entity of ac.attached) if (entity.service.key === runtime.key) return true;
    return false;
  }

  runtimeOf(entity: SbbEntity): ServiceRuntime {
    const runtime = this.services.get(entity.service.key);
    if (!runtime) throw new Error(`service ${entity.service.key} of entity ${entity.id} is not deployed`);
    return runtime;
  }

  // ---- service activities ---------------------------------------------

  /** Starts the service's activity and fires ServiceStarted on it, for that service only. */
  serviceStarted(runtime: ServiceRuntime): void {
    this.serviceStopped(runtime);
    const activity: ServiceActivity = { service: runtime.model.id };
    const ac = this.startActivity(SERVICE_ACTIVITY_OWNER, `${runtime.key}@${this.nextActivity++}`, activity);
    runtime.serviceActivity = ac;
    this.fire(ac, ServiceStartedEventType, { service: runtime.model.id }, null, runtime.model.id);
  }

  /** Ends the service's activity, if it has one. */
  serviceStopped(runtime: ServiceRuntime): void {
    const ac = runtime.serviceActivity;
    runtime.serviceActivity = null;
    if (ac && ac.state === 'active') this.endActivity(ac);
  }

  // ---- activities -----------------------------------------------------

  startActivity(owner: string | null, handle: string, activity: object): ActivityContext {
    const id = `${owner ?? 'slee'}/${handle}`;
    if (this.activities.has(id)) {
      throw new SleetError(ErrorCode.UNRECOGNIZED_ACTIVITY, `activity ${id} is already started`);
    }
    const ac = new ActivityContext(id, handle, activity, owner, this.activitySeq++);
    this.activities.set(id, ac);
    this.byActivity.set(activity, ac);
    this.stats.activitiesStarted++;
    return ac;
  }

  activityByHandle(owner: string | null, handle: string): ActivityContext | undefined {
    return this.activities.get(`${owner ?? 'slee'}/${handle}`);
  }

  /** The activity context behind an ACI or an activity object. */
  activityOf(aciOrActivity: ActivityContextInterface | object): ActivityContext {
    const ac = aciOrActivity instanceof AciView ? aciOrActivity.context : this.byActivity.get(aciOrActivity);
    if (!ac || ac.state === 'ended') {
      throw new SleetError(ErrorCode.UNRECOGNIZED_ACTIVITY, 'the activity is not known to the SLEE, or has ended');
    }
    return ac;
  }

  /** Registers what to call when activities of an owner (a resource-adaptor entity) have ended. */
  onActivityEnded(owner: string, listener: (ac: ActivityContext) => void): void {
    this.endListeners.set(owner, listener);
  }

  /** Starts ending an activity: an ActivityEndEvent is queued behind its pending events. */
  endActivity(ac: ActivityContext): void {
    if (ac.state !== 'active') return;
    ac.state = 'ending';
    this.router.enqueue(ac, ActivityEndEventType, { activityContextId: ac.id }, null, null);
  }

  /** After the end event is delivered: detach everyone, unbind names, cancel timers, forget the activity. */
  finishActivity(ac: ActivityContext): void {
    ac.state = 'ended';
    const roots = new Set<SbbEntity>();
    for (const entity of ac.attached) {
      entity.attachments.delete(ac);
      roots.add(entity.root);
    }
    ac.attached.clear();
    ac.masks = null;
    for (const name of ac.names) this.names.delete(name);
    ac.names.clear();
    for (const timerId of [...ac.timers]) this.timers.cancel(timerId, ac);
    this.activities.delete(ac.id);
    this.stats.activitiesEnded++;
    if (ac.owner) this.endListeners.get(ac.owner)?.(ac);
    this.emit('activityEnded', ac);
    for (const root of roots) this.maybeRemoveTree(root);
  }

  fire(ac: ActivityContext, type: EventType, event: unknown, address: string | null, service: ComponentId | null, done?: (failed: boolean, delivered: number) => void): void {
    if (ac.state === 'ended') {
      throw new SleetError(ErrorCode.UNRECOGNIZED_ACTIVITY, `cannot fire ${type.key} on ended activity ${ac.id}`);
    }
    if (ac.state === 'ending') {
      throw new SleetError(ErrorCode.ACTIVITY_ENDING, `cannot fire ${type.key} on activity ${ac.id}: it is ending`);
    }
    this.stats.eventsFired++;
    this.router.enqueue(ac, type, event, address, service ? componentKey(service) : null, done);
  }

  createNullActivity(tx: Transaction): { ac: ActivityContext; activity: NullActivity } {
    const handle = `null-${this.nextActivity++}`;
    const activity: NullActivity = {
      id: handle,
      endActivity: () => {
        const current = this.activityByHandle(NULL_ACTIVITY_OWNER, handle);
        if (!current) return;
        if (tx.active) tx.onCommit(() => this.endActivity(current));
        else this.endActivity(current);
      },
    };
    const ac = this.startActivity(NULL_ACTIVITY_OWNER, handle, activity);
    tx.undo(() => {
      this.activities.delete(ac.id);
      ac.state = 'ended';
    });
    tx.afterCommit(() => this.maybeEndNullActivity(ac));
    return { ac, activity };
  }

  /**
   * Fires an event the SLEE itself raises (a durable timer whose activity
   * context did not survive a restart) on a null activity of its own, which
   * ends once the event is processed if nothing attached to it.
   */
  fireOnNewNullActivity(type: EventType, event: unknown, address: string | null): void {
    const handle = `null-${this.nextActivity++}`;
    const activity: NullActivity = {
      id: handle,
      endActivity: () => {
        const current = this.activityByHandle(NULL_ACTIVITY_OWNER, handle);
        if (current) this.endActivity(current);
      },
    };
    const ac = this.startActivity(NULL_ACTIVITY_OWNER, handle, activity);
    this.fire(ac, type, event, address, null, () => this.maybeEndNullActivity(ac));
  }

  /** JSLEE ends a null activity once nothing is attached to it and no name is bound to it. */
  private maybeEndNullActivity(ac: ActivityContext): void {
    if (ac.owner === NULL_ACTIVITY_OWNER && ac.state === 'active' && ac.attached.size === 0 && ac.names.size === 0) {
      this.endActivity(ac);
    }
  }

  // ---- transactional operations ----------------------------------------

  writeCmp(ctx: SbbContextImpl, field: string, value: unknown): void {
    const tx = ctx.requireTx();
    const entity = ctx.requireEntity();
    const frozen = freezeSerialisable(value, `${entity.component.id.name}.${field}`);
    const cmp = entity.cmp;
    const had = Object.hasOwn(cmp, field);
    const old = cmp[field];
    cmp[field] = frozen;
    tx.undo(() => {
      if (had) cmp[field] = old;
      else delete cmp[field];
    });
  }

  attach(tx: Transaction, ac: ActivityContext, entity: SbbEntity): void {
    tx.assertActive();
    // Events queued before the end still get normal delivery, initial attach included.
    if (ac.state === 'ended') throw new SleetError(ErrorCode.UNRECOGNIZED_ACTIVITY, `activity ${ac.id} has ended; cannot attach`);
    if (entity.removed) throw new SleetError(ErrorCode.NO_SUCH_ENTITY, `SBB entity ${entity.id} has been removed`);
    if (ac.attached.has(entity)) return;
    ac.attached.add(entity);
    entity.attachments.add(ac);
    const masked = [...entity.component.handlers.values()].filter((h) => h.maskOnAttach).map((h) => h.eventType.key);
    if (masked.length > 0) this.setMask(tx, ac, entity, new Set(masked));
    tx.undo(() => {
      ac.attached.delete(entity);
      entity.attachments.delete(ac);
    });
  }

  detach(tx: Transaction, ac: ActivityContext, entity: SbbEntity): void {
    tx.assertActive();
    if (!ac.attached.has(entity)) return;
    ac.attached.delete(entity);
    entity.attachments.delete(ac);
    const mask = ac.masks?.get(entity);
    if (mask) ac.masks!.delete(entity);
    tx.undo(() => {
      ac.attached.add(entity);
      entity.attachments.add(ac);
      if (mask) (ac.masks ??= new Map()).set(entity, mask);
    });
    tx.afterCommit(() => {
      this.maybeRemoveTree(entity.root);
      this.maybeEndNullActivity(ac);
    });
  }

  mask(tx: Transaction, ac: ActivityContext, entity: SbbEntity, eventTypes: Array<EventType | string>): void {
    tx.assertActive();
    if (!ac.attached.has(entity)) {
      throw new SleetError(ErrorCode.UNRECOGNIZED_ACTIVITY, `SBB entity ${entity.id} is not attached to ${ac.id}; attach before masking`);
    }
    const keys = new Set<string>();
    for (const t of eventTypes) {
      if (typeof t !== 'string') keys.add(t.key);
      else {
        const candidates = this.eventTypes.byShortName(t);
        if (candidates.length !== 1) throw new SleetError(ErrorCode.UNKNOWN_EVENT_TYPE, `cannot mask '${t}': not exactly one event type has that short name`);
        keys.add(candidates[0]!.key);
      }
    }
    if (keys.has(ActivityEndEventType.key)) {
      throw new SleetError(ErrorCode.UNKNOWN_EVENT_TYPE, 'the activity end event cannot be masked');
    }
    this.setMask(tx, ac, entity, keys);
  }

  private setMask(tx: Transaction, ac: ActivityContext, entity: SbbEntity, keys: Set<string>): void {
    const masks = (ac.masks ??= new Map());
    const previous = masks.get(entity);
    if (keys.size === 0) masks.delete(entity);
    else masks.set(entity, keys);
    tx.undo(() => {
      if (previous) masks.set(entity, previous);
      else masks.delete(entity);
    });
  }

  readAttribute(tx: Transaction | null, ac: ActivityContext, name: string): unknown {
    const pending = tx?.attachments.get(ATTRIBUTE_WRITES) as Map<ActivityContext, Map<string, unknown>> | undefined;
    const writes = pending?.get(ac);
    if (writes?.has(name)) return writes.get(name);
    return ac.attributes.get(name);
  }

  /** ACI attribute writes are buffered until commit, so other trees never see uncommitted values. */
  writeAttribute(tx: Transaction, ac: ActivityContext, name: string, value: unknown): void {
    tx.assertActive();
    const frozen = freezeSerialisable(value, `ACI attribute ${name}`);
    let pending = tx.attachments.get(ATTRIBUTE_WRITES) as Map<ActivityContext, Map<string, unknown>> | undefined;
    if (!pending) {
      const buffer = new Map<ActivityContext, Map<string, unknown>>();
      pending = buffer;
      tx.attachments.set(ATTRIBUTE_WRITES, buffer);
      tx.onCommit(() => {
        for (const [context, writes] of buffer) {
          for (const [k, v] of writes) {
            if (v === undefined) context.attributes.delete(k);
            else context.attributes.set(k, v);
          }
        }
      });
    }
    let writes = pending.get(ac);
    if (!writes) pending.set(ac, (writes = new Map()));
    writes.set(name, frozen);
  }

  bindName(tx: Transaction, ac: ActivityContext, name: string): void {
    tx.assertActive();
    const pending = this.pendingNames(tx);
    const current = pending.has(name) ? pending.get(name) : this.names.get(name);
    if (current) throw new SleetError(ErrorCode.NAME_ALREADY_BOUND, `name '${name}' is already bound to activity ${current.id}`);
    if (ac.state !== 'active') throw new SleetError(ErrorCode.ACTIVITY_ENDING, `activity ${ac.id} is ending; cannot bind '${name}'`);
    pending.set(name, ac);
  }

  unbindName(tx: Transaction, name: string): void {
    tx.assertActive();
    const pending = this.pendingNames(tx);
    const current = pending.has(name) ? pending.get(name) : this.names.get(name);
    if (!current) throw new SleetError(ErrorCode.NAME_NOT_BOUND, `name '${name}' is not bound`);
    pending.set(name, null);
  }

  lookupName(tx: Transaction | null, name: string): ActivityContext | null {
    const pending = tx?.attachments.get(NAME_WRITES) as Map<string, ActivityContext | null> | undefined;
    if (pending?.has(name)) return pending.get(name) ?? null;
    return this.names.get(name) ?? null;
  }

  private pendingNames(tx: Transaction): Map<string, ActivityContext | null> {
    let pending = tx.attachments.get(NAME_WRITES) as Map<string, ActivityContext | null> | undefined;
    if (!pending) {
      const buffer = new Map<string, ActivityContext | null>();
      pending = buffer;
      tx.attachments.set(NAME_WRITES, buffer);
      tx.onCommit(() => {
        for (const [name, ac] of buffer) {
          const previous = this.names.get(name);
          if (ac && ac.state !== 'ended') {
            this.names.set(name, ac);
            ac.names.add(name);
          } else if (!ac && previous) {
            this.names.delete(name);
            previous.names.delete(name);
            tx.afterCommit(() => this.maybeEndNullActivity(previous));
          }
        }
      });
    }
    return pending;
  }

  // ---- SBB entities -----------------------------------------------------

  /** Creates a root entity within the transaction; the caller runs sbbCreate and sbbPostCreate. */
  createRoot(tx: Transaction, runtime: ServiceRuntime, convergenceName: string): SbbEntity {
    const component = runtime.model.root;
    const defaults = runtime.pool(component.key).withObject(cmpDefaultsOf);
    const entity = new SbbEntity(`sbb-${this.nextEntity++}`, component, runtime.model, null, runtime.model.priority, null, convergenceName, defaults);
    this.entities.set(entity.id, entity);
    runtime.roots.set(convergenceName, entity);
    this.stats.entitiesCreated++;
    tx.undo(() => {
      entity.removed = true;
      this.entities.delete(entity.id);
      if (runtime.roots.get(convergenceName) === entity) runtime.roots.delete(convergenceName);
      this.stats.entitiesCreated--;
    });
    return entity;
  }

  createChild(ctx: SbbContextImpl, relation: ChildRelationModel, priority: number): SbbEntity {
    const tx = ctx.requireTx();
    const parent = ctx.requireEntity();
    const runtime = this.runtimeOf(parent);
    const defaults = runtime.pool(relation.child.key).withObject(cmpDefaultsOf);
    const child = new SbbEntity(`sbb-${this.nextEntity++}`, relation.child, runtime.model, parent, priority, relation.name, null, defaults);
    const children = (parent.children ??= new Map());
    let set = children.get(relation.name);
    if (!set) children.set(relation.name, (set = new Set()));
    set.add(child);
    this.entities.set(child.id, child);
    this.stats.entitiesCreated++;
    tx.undo(() => {
      child.removed = true;
      set.delete(child);
      this.entities.delete(child.id);
      this.stats.entitiesCreated--;
    });
    this.runBound(tx, child, null, (obj) => {
      this.callback(obj, 'sbbCreate', child);
      this.callback(obj, 'sbbPostCreate', child);
    });
    return child;
  }

  /** Removes an entity and its descendants within the transaction, children first, calling sbbRemove on each. */
  removeEntity(tx: Transaction, entity: SbbEntity): void {
    tx.assertActive();
    if (entity.removed) throw new SleetError(ErrorCode.NO_SUCH_ENTITY, `SBB entity ${entity.id} is already removed`);
    const order = [...entity.subtree()].reverse();
    for (const e of order) {
      this.runBound(tx, e, null, (obj) => this.callback(obj, 'sbbRemove', e));
      for (const ac of [...e.attachments]) this.detach(tx, ac, e);
      e.removed = true;
      this.entities.delete(e.id);
      this.stats.entitiesRemoved++;
      tx.undo(() => {
        e.removed = false;
        this.entities.set(e.id, e);
        this.stats.entitiesRemoved--;
      });
    }
    const runtime = this.runtimeOf(entity);
    if (entity.parent) {
      const set = entity.parent.children?.get(entity.relation!);
      set?.delete(entity);
      tx.undo(() => set?.add(entity));
    } else if (entity.convergenceName !== null) {
      const name = entity.convergenceName;
      if (runtime.roots.get(name) === entity) {
        runtime.roots.delete(name);
        tx.undo(() => runtime.roots.set(name, entity));
      }
    }
    tx.afterCommit(() => this.serviceMayBeDrained(runtime));
  }

  setPriority(tx: Transaction, entity: SbbEntity, priority: number): void {
    tx.assertActive();
    if (!Number.isInteger(priority) || priority < -128 || priority > 127) {
      throw new RangeError(`SBB priority must be an integer in -128..127, got ${priority}`);
    }
    const old = entity.priority;
    entity.priority = priority;
    tx.undo(() => (entity.priority = old));
  }

  /** A tree whose attachment count fell to zero is removed, in a transaction of its own. */
  maybeRemoveTree(root: SbbEntity): void {
    if (root.removed || root.treeAttachmentCount() > 0) return;
    const lock = root.treeLock;
    const run = (): void => {
      try {
        if (root.removed || root.treeAttachmentCount() > 0) return;
        const tx = new Transaction();
        try {
          this.removeEntity(tx, root);
          const result = tx.commit();
          if (result) throw new Error('tree removal does not enlist asynchronous participants');
        } catch (err) {
          tx.rollback();
          this.logger.error({ err, entity: root.id }, 'removing an unattached SBB entity tree failed');
        }
      } finally {
        lock.release();
      }
    };
    if (lock.tryAcquire()) run();
    else void lock.acquire().then(run);
  }

  /** A STOPPING service becomes INACTIVE once its last root entity is gone. */
  serviceMayBeDrained(runtime: ServiceRuntime): void {
    if (runtime.state === 'STOPPING' && runtime.roots.size === 0) {
      runtime.state = 'INACTIVE';
      // Its successors forget it, so an uninstalled version's code can be collected.
      for (const other of this.services.values()) {
        if (other.predecessor !== runtime) continue;
        other.predecessor = runtime.predecessor;
        other.cutover = runtime.cutover;
      }
      runtime.predecessor = null;
      this.emit('serviceDrained', runtime);
    }
  }

  /** Calls a method of another entity of the same tree within the caller's transaction. */
  invokeLocal(caller: SbbContextImpl, entity: SbbEntity, method: string, args: unknown[]): unknown {
    const tx = caller.requireTx();
    if (entity.removed) throw new SleetError(ErrorCode.NO_SUCH_ENTITY, `SBB entity ${entity.id} has been removed`);
    if (entity.root !== caller.requireEntity().root) {
      throw new SleetError(ErrorCode.NO_SUCH_ENTITY, `SBB entity ${entity.id} belongs to another tree; only entities of the caller's tree can be invoked`);
    }
    return this.runBound(tx, entity, null, (obj) => (obj as Record<string, (...a: unknown[]) => unknown>)[method]!(...args));
  }

  /**
   * Runs `fn` on a pooled object bound to the entity, with the activation
   * and load callbacks around it, and releases the object afterwards, also
   * when `fn` returns a promise.
   */
  runBound<T>(tx: Transaction, entity: SbbEntity, event: EventContext | null, fn: (obj: object, ctx: SbbContextImpl) => T): T {
    const runtime = this.runtimeOf(entity);
    const pool = runtime.pool(entity.component.key);
    const ctx = pool.acquire();
    const obj = ctx.object;
    const lifecycle = entity.component.lifecycle;
    ctx.bind(entity, tx, event);
    let async = false;
    try {
      if (lifecycle.size > 0) {
        if (lifecycle.has('sbbActivate')) this.callback(obj, 'sbbActivate', entity);
        if (lifecycle.has('sbbLoad')) this.callback(obj, 'sbbLoad', entity);
      }
      const result = fn(obj, ctx);
      if (result instanceof Promise) {
        async = true;
        return result.finally(() => this.unbindObject(pool, ctx, entity)) as T;
      }
      return result;
    } finally {
      if (!async) this.unbindObject(pool, ctx, entity);
    }
  }

  private unbindObject(pool: ReturnType<ServiceRuntime['pool']>, ctx: SbbContextImpl, entity: SbbEntity): void {
    const lifecycle = entity.component.lifecycle;
    try {
      if (lifecycle.size > 0 && ctx.tx?.active && !ctx.tx.rollbackOnly && !entity.removed) {
        if (lifecycle.has('sbbStore')) this.callback(ctx.object, 'sbbStore', entity);
        if (lifecycle.has('sbbPassivate')) this.callback(ctx.object, 'sbbPassivate', entity);
      }
    } finally {
      pool.release(ctx);
    }
  }

  callback(obj: object, name: LifecycleCallback, entity: SbbEntity, ...args: unknown[]): unknown {
    if (!entity.component.lifecycle.has(name)) return undefined;
    return (obj as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
  }

  aciFor(ac: ActivityContext, ctx: SbbContextImpl): ActivityContextInterface {
    return new AciView(ac, ctx);
  }
}

const ATTRIBUTE_WRITES = Symbol('sleet:aci-attribute-writes');
const NAME_WRITES = Symbol('sleet:name-writes');
