import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../base/clock/clock.js';
import { AnswerWatch } from '../router/answer-watch.js';
import type { EventType } from '../component-model/event-type.js';
import type { ComponentId } from '../component-model/component-id.js';
import type { ActivityContext } from '../activity/activity-context.js';
import type { ActivityContextInterface } from '../activity/activity-context-interface.js';
import { ActivityEndEventType } from '../activity/activity-end-event.js';
import type { NullActivity } from '../activity/null-activity.js';
import { ServiceStartedEventType } from '../activity/service-started-event.js';
import { ActivityLifecycle } from '../activity/activity-lifecycle.js';
import { NullActivities } from '../activity/null-activities.js';
import { ServiceActivities } from '../activity/service-activities.js';
import { Attachments } from '../activity/attachments.js';
import { AciAttributes } from '../activity/aci-attributes.js';
import { ActivityNames } from '../activity/activity-names.js';
import { EventMasks } from '../activity/event-masks.js';
import { EventTypeRegistry } from '../deployment/event-type-registry.js';
import type { ChildRelationModel, LifecycleCallback } from '../deployment/sbb-component.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { SbbCaller } from '../entity/sbb-caller.js';
import type { SbbHost } from '../entity/sbb-host.js';
import { ObjectBinding } from '../entity/object-binding.js';
import { EntityTree } from '../entity/entity-tree.js';
import type { DeliveryHost } from '../router/delivery-host.js';
import type { AddressProfileResolver } from '../router/address-profile-resolver.js';
import type { EventContext } from '../router/event-context.js';
import type { SbbContextImpl } from '../entity/sbb-context-impl.js';
import { EventRouter } from '../router/event-router.js';
import type { Transaction } from '../transaction/transaction.js';
import { IsolationLocks } from '../transaction/isolation-locks.js';
import { AlarmRegistry } from '../facilities/alarm/alarm-registry.js';
import { TraceRegistry } from '../facilities/trace/trace-registry.js';
import { UsageRegistry } from '../facilities/usage/usage-registry.js';
import { TimerManager } from '../facilities/timer/timer-manager.js';
import { TimerEventType } from '../facilities/timer/timer-event.js';
import { InProcessTimerBackend } from '../facilities/timer/in-process-timer-backend.js';
import type { SleeStateStore } from '../store/slee-state-store.js';
import type { StateTable } from '../store/state-table.js';
import { InMemoryStateStore } from '../store/in-memory-state-store.js';
import { ReplicationTracker } from '../cluster/replication-tracker.js';
import { ActivityAdoption, type AdoptedActivity } from '../cluster/activity-adoption.js';
import type { KernelOptions } from './kernel-options.js';
import type { KernelStats } from './kernel-stats.js';
import { ReadSetTracker } from './read-set-tracker.js';
import { ServiceRouting } from './service-routing.js';
import type { ServiceRuntime } from './service-runtime.js';

/**
 * The container's state and the facade over the operations on it. Each
 * concept is a class of its own, composed here: `ServiceRouting` (which
 * service version takes an event), `ActivityLifecycle`, `NullActivities`,
 * `ServiceActivities` and `ActivityAdoption` (activities from start to end),
 * `Attachments` (attach, detach, masks), `AciAttributes` and `ActivityNames`,
 * `EntityTree` and `ObjectBinding` (entities and calls on them). The event
 * router drives deliveries; facilities and SBB views call in here.
 */
export class Kernel extends EventEmitter<{ serviceDrained: [ServiceRuntime] }> implements SbbHost, DeliveryHost {
  readonly logger: Logger;
  /** Which service answered what, and services that only ever see answered events. */
  readonly answerWatch: AnswerWatch;
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
    transactionRetries: 0,
    entitiesCreated: 0,
    entitiesRemoved: 0,
    activitiesStarted: 0,
    activitiesEnded: 0,
    commits: 0,
    rollbacks: 0,
    handlerTimeouts: 0,
    deliveredByType: new Map(),
  };
  addressProfileResolver: AddressProfileResolver | undefined;
  readonly suspendTimeoutMs: number;
  readonly handlerTimeoutMs: number;
  readonly transactionAttempts: number;
  /** Held by deliveries retrying after a conflict; see ReadSet. */
  readonly isolationLocks = new IsolationLocks();
  /** Replicated state and its versions, in a cluster; null on a single node. */
  readonly replication: ReplicationTracker | null;
  private readonly routing: ServiceRouting;
  private readonly lifecycle: ActivityLifecycle;
  private readonly nullActivities: NullActivities;
  private readonly serviceActivities: ServiceActivities;
  private readonly adoption: ActivityAdoption;
  private readonly attachments: Attachments;
  private readonly attributes: AciAttributes;
  private readonly activityNames: ActivityNames;
  private readonly binding: ObjectBinding;
  private readonly tree: EntityTree;

  constructor(options: KernelOptions) {
    super();
    this.store = options.store ?? new InMemoryStateStore();
    this.entities = this.store.entities;
    this.activities = this.store.activities;
    this.names = this.store.names;
    this.replication = options.replication ? new ReplicationTracker(options.replication, this, options.logger) : null;
    this.lifecycle = new ActivityLifecycle(this);
    this.nullActivities = new NullActivities(this.lifecycle);
    this.serviceActivities = new ServiceActivities(this.lifecycle);
    this.routing = new ServiceRouting(
      this.services,
      () => this.lifecycle.nextSeq,
      (runtime) => this.emit('serviceDrained', runtime),
    );
    const readSets = new ReadSetTracker(this.names, this.isolationLocks);
    this.attributes = new AciAttributes(readSets);
    this.activityNames = new ActivityNames(this.names, readSets, (ac) => this.nullActivities.maybeEnd(ac));
    this.attachments = new Attachments(
      {
        activities: this.activities,
        replication: this.replication,
        detached: (ac, entity) => {
          this.maybeRemoveTree(entity.root);
          this.nullActivities.maybeEnd(ac);
        },
      },
      new EventMasks(this.eventTypes),
    );
    this.binding = new ObjectBinding((entity) => this.runtimeOf(entity));
    // In a cluster entity ids must not collide with another node's, nor with this node's before a restart.
    this.tree = new EntityTree(this, this.binding, options.replication ? `sbb-${randomUUID().slice(0, 8)}-` : 'sbb-');
    this.adoption = new ActivityAdoption(this.lifecycle, this.replication);
    this.logger = options.logger;
    this.answerWatch = new AnswerWatch(options.logger);
    this.clock = options.clock;
    this.addressProfileResolver = options.addressProfileResolver;
    this.suspendTimeoutMs = options.suspendTimeoutMs ?? 10_000;
    this.handlerTimeoutMs = options.handlerTimeoutMs ?? 30_000;
    this.transactionAttempts = options.transactionAttempts ?? 5;
    if (!(this.handlerTimeoutMs > 0 && this.handlerTimeoutMs <= 2_147_483_647)) {
      throw new RangeError(`handlerTimeoutMs must be between 1 and 2147483647 (a timer's longest delay), got ${this.handlerTimeoutMs}`);
    }
    if (!Number.isInteger(this.transactionAttempts) || this.transactionAttempts < 1) {
      throw new RangeError(`transactionAttempts must be a positive integer, got ${this.transactionAttempts}`);
    }
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
        activityById: (id) => this.lifecycle.byId(id),
        fire: (ac, event, address) => this.fire(ac, TimerEventType, event, address, null),
        fireOnNewNullActivity: (event, address) => this.fireOnNewNullActivity(TimerEventType, event, address),
        ...(options.replication ? { adopt: (id: string) => this.adoptActivityById(id) } : {}),
      },
      options.timerDefaultTimeoutMs,
    );
    this.timers.onError = (timerId, err) => {
      this.logger.error({ err, timerId }, 'timer backend failed');
      this.alarms.raise('subsystem:timer-facility', 'sleet.timer.backend-failed', timerId, 'MAJOR', `timer ${timerId} could not be fired or rescheduled`, err);
    };
  }

  // ---- services: see ServiceRouting and ServiceActivities ----------------

  /** Rebuilds the initial-event index after a service changes state. */
  reindexServices(): void {
    this.routing.reindex();
  }

  initialServicesFor(eventKey: string): readonly ServiceRuntime[] {
    return this.routing.initialServicesFor(eventKey);
  }

  /** Records a versioned upgrade: activities started from now on go to `next`, the others stay with `previous`. */
  upgraded(previous: ServiceRuntime, next: ServiceRuntime): void {
    this.routing.upgraded(previous, next);
  }

  versionFor(runtime: ServiceRuntime, ac: ActivityContext): ServiceRuntime {
    return this.routing.versionFor(runtime, ac);
  }

  runtimeOf(entity: SbbEntity): ServiceRuntime {
    return this.routing.runtimeOf(entity);
  }

  /** A STOPPING service becomes INACTIVE once its last root entity is gone. */
  serviceMayBeDrained(runtime: ServiceRuntime): void {
    this.routing.mayBeDrained(runtime);
  }

  /** Starts the service's activity and fires ServiceStarted on it, for that service only. */
  serviceStarted(runtime: ServiceRuntime): void {
    this.serviceActivities.started(runtime);
  }

  /** Ends the service's activity, if it has one. */
  serviceStopped(runtime: ServiceRuntime): void {
    this.serviceActivities.stopped(runtime);
  }

  // ---- activities: see ActivityLifecycle, NullActivities, ActivityAdoption ----

  startActivity(owner: string | null, handle: string, activity: object): ActivityContext {
    return this.lifecycle.start(owner, handle, activity);
  }

  /** In a cluster: takes over the activity another node replicated under this owner and handle. */
  adoptActivity(owner: string, handle: string, activity: AdoptedActivity): Promise<ActivityContext | null> {
    return this.adoption.adopt(owner, handle, activity);
  }

  /** Registers how the activities of an owner (a resource-adaptor entity) are recreated when this node takes one over by id. */
  onActivityAdopted(owner: string, recreate: (handle: string, adaptorState: unknown) => object | null, adopted: (handle: string) => void): void {
    this.adoption.onAdopted(owner, recreate, adopted);
  }

  /** In a cluster: the activity context with this id, taken over from another node if this one does not hold it. */
  adoptActivityById(id: string): Promise<ActivityContext | undefined> {
    return this.adoption.adoptById(id);
  }

  /** A durable timer that another node set fires on this activity context from now on. */
  adoptTimer(timerId: string, ac: ActivityContext): void {
    this.timers.adopt(timerId, ac);
  }

  activityByHandle(owner: string | null, handle: string): ActivityContext | undefined {
    return this.lifecycle.byHandle(owner, handle);
  }

  /** The activity context behind an ACI or an activity object. */
  activityOf(aciOrActivity: ActivityContextInterface | object): ActivityContext {
    return this.lifecycle.of(aciOrActivity);
  }

  /** Registers what to call when activities of an owner (a resource-adaptor entity) have ended. */
  onActivityEnded(owner: string, listener: (ac: ActivityContext) => void): void {
    this.lifecycle.onEnded(owner, listener);
  }

  /** Starts ending an activity: an ActivityEndEvent is queued behind its pending events. */
  endActivity(ac: ActivityContext): void {
    this.lifecycle.end(ac);
  }

  /** After the end event is delivered: detach everyone, unbind names, cancel timers, forget the activity. */
  finishActivity(ac: ActivityContext): void {
    this.lifecycle.finish(ac);
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
    this.lifecycle.fire(ac, type, event, address, service, done, answered);
  }

  createNullActivity(tx: Transaction): { ac: ActivityContext; activity: NullActivity } {
    return this.nullActivities.create(tx);
  }

  /** Fires an event the SLEE itself raises on a null activity of its own. */
  fireOnNewNullActivity(type: EventType, event: unknown, address: string | null): void {
    this.nullActivities.fireOnNew(type, event, address);
  }

  // ---- attachments: see Attachments ----------------------------------------

  attach(tx: Transaction, ac: ActivityContext, entity: SbbEntity): void {
    this.attachments.attach(tx, ac, entity);
  }

  detach(tx: Transaction, ac: ActivityContext, entity: SbbEntity): void {
    this.attachments.detach(tx, ac, entity);
  }

  /** Detaches every entity from an ending activity; returns the roots of their trees. */
  detachAll(ac: ActivityContext): Set<SbbEntity> {
    return this.attachments.detachAll(ac);
  }

  attachedActivities(entity: SbbEntity): ActivityContext[] {
    return this.attachments.of(entity);
  }

  mask(tx: Transaction, ac: ActivityContext, entity: SbbEntity, eventTypes: Array<EventType | string>): void {
    this.attachments.mask(tx, ac, entity, eventTypes);
  }

  // ---- attributes and names: see AciAttributes and ActivityNames ------------

  readAttribute(tx: Transaction | null, ac: ActivityContext, name: string): unknown {
    return this.attributes.read(tx, ac, name);
  }

  writeAttribute(tx: Transaction, ac: ActivityContext, name: string, value: unknown): void {
    this.attributes.write(tx, ac, name, value);
    this.replication?.activityChanged(tx, ac);
  }

  bindName(tx: Transaction, ac: ActivityContext, name: string): void {
    this.activityNames.bind(tx, ac, name);
    this.replication?.activityChanged(tx, ac);
  }

  unbindName(tx: Transaction, name: string): void {
    const bound = this.names.get(name);
    this.activityNames.unbind(tx, name);
    if (bound) this.replication?.activityChanged(tx, bound);
  }

  lookupName(tx: Transaction | null, name: string): ActivityContext | null {
    return this.activityNames.lookup(tx, name);
  }

  // ---- SBB entities: see EntityTree and ObjectBinding ---------------------

  writeCmp(tx: Transaction, entity: SbbEntity, field: string, value: unknown): void {
    this.tree.writeCmp(tx, entity, field, value);
    this.replication?.treeChanged(tx, entity);
  }

  /** Creates a root entity within the transaction; the caller runs sbbCreate and sbbPostCreate. */
  createRoot(tx: Transaction, runtime: ServiceRuntime, convergenceName: string): SbbEntity {
    return this.tree.createRoot(tx, runtime, convergenceName);
  }

  createChild(tx: Transaction, parent: SbbEntity, relation: ChildRelationModel, priority: number): SbbEntity {
    const child = this.tree.createChild(tx, parent, relation, priority);
    this.replication?.treeChanged(tx, parent);
    return child;
  }

  removeEntity(tx: Transaction, entity: SbbEntity): void {
    this.tree.removeEntity(tx, entity);
  }

  setPriority(tx: Transaction, entity: SbbEntity, priority: number): void {
    this.tree.setPriority(tx, entity, priority);
    this.replication?.treeChanged(tx, entity);
  }

  maybeRemoveTree(root: SbbEntity): void {
    this.tree.maybeRemoveTree(root);
  }

  invokeLocal(tx: Transaction, caller: SbbEntity, entity: SbbEntity, method: string, args: unknown[]): unknown {
    return this.binding.invokeLocal(tx, caller, entity, method, args);
  }

  runBound<T>(tx: Transaction, entity: SbbEntity, event: EventContext | null, fn: (obj: object, ctx: SbbCaller) => T): T {
    return this.binding.runBound(tx, entity, event, fn);
  }

  bind(tx: Transaction, entity: SbbEntity, event: EventContext | null): SbbContextImpl {
    return this.binding.bind(tx, entity, event);
  }

  unbind(ctx: SbbContextImpl, entity: SbbEntity): void {
    this.binding.unbind(ctx, entity);
  }

  callback(obj: object, name: LifecycleCallback, entity: SbbEntity, ...args: unknown[]): unknown {
    return this.binding.callback(obj, name, entity, ...args);
  }
}
