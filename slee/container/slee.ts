import { AdmissionControl } from '../overload/admission-control.js';
import { LoadSampler } from '../overload/load-sampler.js';
import { DEFAULT_OVERLOAD_SETTINGS, type OverloadSettings } from '../overload/overload-settings.js';
import 'reflect-metadata';
import { EventEmitter } from 'node:events';
import { Container } from 'inversify';
import { pino, type Logger } from 'pino';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ComponentId } from '../component-model/component-id.js';
import { componentKey, formatComponentId } from '../component-model/component-id.js';
import type { EventType } from '../component-model/event-type.js';
import { raLinkToken } from '../component-model/ra-link.decorator.js';
import type { Clock } from '../../base/clock/clock.js';
import { wallClock } from '../../base/clock/wall-clock.js';
import { ComponentScanner } from '../deployment/component-scanner.js';
import type { SbbClass } from '../deployment/sbb-component.js';
import { SbbObjectPool } from '../entity/sbb-object-pool.js';
import { installSbbAccessors } from '../entity/sbb-accessors.js';
import type { TimerBackend } from '../facilities/timer/timer-backend.js';
import { SourceAlarmFacility } from '../facilities/alarm/alarm-facility.js';
import { raEntityNotificationSource, sbbNotificationSource } from '../facilities/notification-source.js';
import type { ConfigProperties, ResourceAdaptor } from '../resource-adaptor/resource-adaptor.js';
import { ResourceAdaptorEntity } from '../resource-adaptor/resource-adaptor-entity.js';
import type { SleeEndpoint } from '../resource-adaptor/slee-endpoint.js';
import type { StateReplication } from '../cluster/state-replication.js';
import { Kernel } from './kernel.js';
import type { AddressProfileResolver } from '../router/address-profile-resolver.js';
import { ServiceRuntime } from './service-runtime.js';
import type { ServiceState, SleeState } from './slee-state.js';
import type { SbbFacilityBinding } from './sbb-facility-binding.js';
import { createSbbContainer } from './sbb-container-factory.js';
import type { SleeStateStore } from '../store/slee-state-store.js';
import { NO_METRICS, type MetricRegistry } from '../facilities/metrics/metric-registry.js';
import { registerSleeMetrics } from '../facilities/metrics/slee-metrics.js';

export interface SleeOptions {
  logger?: Logger;
  clock?: Clock;
  timerBackend?: TimerBackend;
  addressProfileResolver?: AddressProfileResolver;
  /** Facilities from outside the core (the profile facility) injected into SBBs. */
  facilities?: SbbFacilityBinding[];
  suspendTimeoutMs?: number;
  timerDefaultTimeoutMs?: number;
  /** Where container state lives (SBB entities, activity contexts, names); in memory by default. */
  store?: SleeStateStore;
  /**
   * Admission control of new work by measured load (see `docs/performance.md`), with
   * `DEFAULT_OVERLOAD_SETTINGS` for what is not given. Without it only the router's queue
   * bound refuses new work.
   */
  overload?: Partial<OverloadSettings>;
  /** How long an async event handler may run before its transaction is rolled back; 30 s by default. */
  handlerTimeoutMs?: number;
  /** Attempts of a delivery to one SBB entity whose commit conflicts with a concurrent one; 5 by default. */
  transactionAttempts?: number;
  /** Where the SLEE and its resource adaptors publish metrics; none by default. */
  metrics?: MetricRegistry;
  /** In a cluster, the shared store replicated activities and their SBB entities are committed to (see docs/cluster.md). */
  replication?: StateReplication;
}

export interface SleeNotifications {
  stateChanged: [{ from: SleeState; to: SleeState }];
  serviceStateChanged: [{ service: ComponentId; from: ServiceState; to: ServiceState }];
  raEntityStateChanged: [{ entity: string; state: ResourceAdaptorEntity['state'] }];
}

/**
 * The SLEE: services, resource-adaptor entities and the container state
 * machine (STOPPED → STARTING → RUNNING → STOPPING → STOPPED). Management
 * surfaces (REST, CLI, client) all drive this one object.
 */
export class Slee extends EventEmitter<SleeNotifications> {
  readonly kernel: Kernel;
  readonly logger: Logger;
  private currentState: SleeState = 'STOPPED';
  private readonly root = new Container();
  private readonly scanner: ComponentScanner;
  private readonly facilities: readonly SbbFacilityBinding[];
  /** The metrics port; resource adaptors get it in their context. */
  readonly metrics: MetricRegistry;
  private readonly raEntities = new Map<string, ResourceAdaptorEntity>();
  private readonly links = new Map<string, string>();
  /** What resource adaptors ask before taking on new work. */
  readonly admission: AdmissionControl;
  private readonly loadSampler: LoadSampler | null;

  constructor(options: SleeOptions = {}) {
    super();
    this.logger = options.logger ?? pino({ name: 'sleet' });
    this.kernel = new Kernel({
      logger: this.logger,
      clock: options.clock ?? wallClock(),
      ...(options.timerBackend ? { timerBackend: options.timerBackend } : {}),
      ...(options.addressProfileResolver ? { addressProfileResolver: options.addressProfileResolver } : {}),
      ...(options.suspendTimeoutMs !== undefined ? { suspendTimeoutMs: options.suspendTimeoutMs } : {}),
      ...(options.timerDefaultTimeoutMs !== undefined ? { timerDefaultTimeoutMs: options.timerDefaultTimeoutMs } : {}),
      ...(options.store ? { store: options.store } : {}),
      ...(options.handlerTimeoutMs !== undefined ? { handlerTimeoutMs: options.handlerTimeoutMs } : {}),
      ...(options.transactionAttempts !== undefined ? { transactionAttempts: options.transactionAttempts } : {}),
      ...(options.replication ? { replication: options.replication } : {}),
    });
    const overload = { ...DEFAULT_OVERLOAD_SETTINGS, ...options.overload };
    const backlog = () => this.kernel.router.backlog;
    this.admission = new AdmissionControl(overload, this.kernel.alarms, backlog);
    this.loadSampler =
      options.overload === undefined ? null : new LoadSampler(this.kernel.clock, overload.intervalMs, backlog, (sample) => this.admission.update(sample));
    this.scanner = new ComponentScanner(this.kernel.eventTypes);
    this.facilities = options.facilities ?? [];
    this.metrics = options.metrics ?? NO_METRICS;
    registerSleeMetrics(this.kernel, this.metrics);
    this.kernel.on('serviceDrained', (runtime) => {
      this.kernel.reindexServices();
      this.emit('serviceStateChanged', { service: runtime.model.id, from: 'STOPPING', to: 'INACTIVE' });
    });
  }

  get state(): SleeState {
    return this.currentState;
  }

  private setState(to: SleeState): void {
    const from = this.currentState;
    this.currentState = to;
    this.logger.info({ from, to }, 'SLEE state changed');
    this.emit('stateChanged', { from, to });
  }

  /** Moves STOPPED → STARTING → RUNNING, activating the resource-adaptor entities marked active. */
  async start(): Promise<void> {
    if (this.currentState !== 'STOPPED') throw new SleetError(ErrorCode.INVALID_STATE, `cannot start a SLEE that is ${this.currentState}`);
    this.setState('STARTING');
    const activated: ResourceAdaptorEntity[] = [];
    try {
      await this.kernel.timers.start();
      for (const entity of this.raEntities.values()) {
        if (entity.state !== 'ACTIVE') continue;
        await entity.adaptor.raActive();
        activated.push(entity);
      }
    } catch (err) {
      // The adaptors that did start let go of their sockets again: a failed start leaves nothing listening.
      for (const entity of activated.reverse()) await Promise.resolve(entity.adaptor.raInactive()).catch(() => undefined);
      await Promise.resolve(this.kernel.timers.stop()).catch(() => undefined);
      this.setState('STOPPED');
      throw err;
    }
    this.setState('RUNNING');
    this.loadSampler?.start();
    for (const runtime of this.kernel.services.values()) if (runtime.state === 'ACTIVE') this.kernel.serviceStarted(runtime);
  }

  /**
   * RUNNING → STOPPING → STOPPED: resource adaptors stop taking new work,
   * live activities are ended and drained, then timers stop.
   */
  async stop(): Promise<void> {
    if (this.currentState !== 'RUNNING') throw new SleetError(ErrorCode.INVALID_STATE, `cannot stop a SLEE that is ${this.currentState}`);
    this.setState('STOPPING');
    this.loadSampler?.stop();
    await this.kernel.timers.suspend();
    for (const entity of this.raEntities.values()) if (entity.state === 'ACTIVE') await entity.adaptor.raStopping();
    for (const ac of [...this.kernel.activities.values()]) this.kernel.endActivity(ac);
    await this.kernel.router.idle();
    for (const entity of this.raEntities.values()) if (entity.state === 'ACTIVE') await entity.adaptor.raInactive();
    await this.kernel.timers.stop();
    this.setState('STOPPED');
  }

  /** Resolves when no event is queued or being delivered. */
  idle(): Promise<void> {
    return this.kernel.router.idle();
  }

  registerEventType(type: EventType): void {
    this.kernel.eventTypes.register(type);
  }

  // ---- services ---------------------------------------------------------

  /** Installs a service from its root SBB class; it starts INACTIVE. */
  installService(rootClass: SbbClass): ComponentId {
    const model = this.scanner.scanService(rootClass);
    if (this.kernel.services.has(model.key)) {
      throw new SleetError(ErrorCode.DUPLICATE_COMPONENT, `${formatComponentId('ServiceID', model.id)} is already installed`);
    }
    const missingLinks = [...model.sbbs.values()].flatMap((s) => s.raLinks).filter((l) => !this.links.has(l));
    if (missingLinks.length > 0) {
      throw new SleetError(
        ErrorCode.INVALID_COMPONENT,
        `${formatComponentId('ServiceID', model.id)} needs resource-adaptor link(s) ${[...new Set(missingLinks)].join(', ')} that are not bound`,
      );
    }
    const runtime = new ServiceRuntime(model, new Container({ parent: this.root }), this.kernel.store);
    for (const component of model.sbbs.values()) {
      installSbbAccessors(component);
      let pool: SbbObjectPool | undefined;
      const container = createSbbContainer(this.kernel, runtime, component, () => pool!, this.facilities);
      pool = new SbbObjectPool(this.kernel, runtime.model, component, container);
      runtime.pools.set(component.key, pool);
    }
    this.kernel.services.set(model.key, runtime);
    this.logger.info({ service: model.key }, 'service installed');
    return model.id;
  }

  /** Removes an INACTIVE service. */
  uninstallService(id: ComponentId): void {
    const runtime = this.runtime(id);
    if (runtime.state !== 'INACTIVE') {
      throw new SleetError(ErrorCode.INVALID_STATE, `${formatComponentId('ServiceID', id)} is ${runtime.state}; deactivate it and let it drain first`);
    }
    this.kernel.services.delete(runtime.key);
    this.kernel.store.dropRoots(runtime.key);
    for (const component of runtime.model.sbbs.values()) {
      this.kernel.usage.removeSource(sbbNotificationSource(id, component.id));
    }
    runtime.container.unbindAll();
  }

  activateService(id: ComponentId): void {
    const runtime = this.runtime(id);
    if (runtime.state !== 'INACTIVE') throw new SleetError(ErrorCode.INVALID_STATE, `${formatComponentId('ServiceID', id)} is ${runtime.state}, not INACTIVE`);
    this.setServiceState(runtime, 'ACTIVE');
  }

  /** ACTIVE → STOPPING: no new initial events; existing entities drain, then it becomes INACTIVE. */
  deactivateService(id: ComponentId): void {
    const runtime = this.runtime(id);
    if (runtime.state !== 'ACTIVE') throw new SleetError(ErrorCode.INVALID_STATE, `${formatComponentId('ServiceID', id)} is ${runtime.state}, not ACTIVE`);
    this.setServiceState(runtime, 'STOPPING');
    this.kernel.serviceMayBeDrained(runtime);
  }

  /** The versioned upgrade: new activities go to `next`; existing ones stay on `current` until they end. */
  deactivateAndActivate(current: ComponentId, next: ComponentId): void {
    const old = this.runtime(current);
    const fresh = this.runtime(next);
    if (old.state !== 'ACTIVE') throw new SleetError(ErrorCode.INVALID_STATE, `${formatComponentId('ServiceID', current)} is ${old.state}, not ACTIVE`);
    if (fresh.state !== 'INACTIVE') throw new SleetError(ErrorCode.INVALID_STATE, `${formatComponentId('ServiceID', next)} is ${fresh.state}, not INACTIVE`);
    old.state = 'STOPPING';
    fresh.state = 'ACTIVE';
    this.kernel.upgraded(old, fresh);
    this.kernel.reindexServices();
    this.kernel.serviceStopped(old);
    if (this.currentState === 'RUNNING') this.kernel.serviceStarted(fresh);
    this.emit('serviceStateChanged', { service: current, from: 'ACTIVE', to: 'STOPPING' });
    this.emit('serviceStateChanged', { service: next, from: 'INACTIVE', to: 'ACTIVE' });
    this.kernel.serviceMayBeDrained(old);
  }

  serviceState(id: ComponentId): ServiceState {
    return this.runtime(id).state;
  }

  listServices(): Array<{ id: ComponentId; state: ServiceState; priority: number; rootEntities: number }> {
    return [...this.kernel.services.values()].map((r) => ({ id: r.model.id, state: r.state, priority: r.model.priority, rootEntities: r.roots.size }));
  }

  private setServiceState(runtime: ServiceRuntime, to: ServiceState): void {
    const from = runtime.state;
    runtime.state = to;
    this.kernel.reindexServices();
    if (to === 'ACTIVE' && this.currentState === 'RUNNING') this.kernel.serviceStarted(runtime);
    if (to !== 'ACTIVE') this.kernel.serviceStopped(runtime);
    this.logger.info({ service: runtime.key, from, to }, 'service state changed');
    this.emit('serviceStateChanged', { service: runtime.model.id, from, to });
  }

  private runtime(id: ComponentId): ServiceRuntime {
    const runtime = this.kernel.services.get(componentKey(id));
    if (!runtime) throw new SleetError(ErrorCode.UNKNOWN_COMPONENT, `${formatComponentId('ServiceID', id)} is not installed`);
    return runtime;
  }

  // ---- resource-adaptor entities ---------------------------------------

  async createResourceAdaptorEntity(name: string, adaptor: ResourceAdaptor, config: ConfigProperties = {}): Promise<void> {
    if (this.raEntities.has(name)) throw new SleetError(ErrorCode.DUPLICATE_COMPONENT, `resource-adaptor entity '${name}' already exists`);
    adaptor.raVerifyConfiguration?.(config);
    const entity = new ResourceAdaptorEntity(name, adaptor, config);
    for (const type of adaptor.eventTypes) this.kernel.eventTypes.register(type);
    const source = raEntityNotificationSource(name);
    adaptor.setResourceAdaptorContext({
      entityName: name,
      endpoint: this.endpointFor(entity),
      clock: this.kernel.clock,
      tracer: this.kernel.traces.tracer(source),
      alarms: new SourceAlarmFacility(this.kernel.alarms, source),
      admission: this.admission,
      usage: (counters, samples = []) => this.kernel.usage.parameterSet(source, new Set(counters), new Set(samples)),
      metrics: this.metrics,
    });
    if (adaptor.recreateActivity) {
      const recreate = adaptor.recreateActivity.bind(adaptor);
      this.kernel.onActivityAdopted(
        name,
        (handle, adaptorState) => (entity.state === 'ACTIVE' ? recreate(handle, adaptorState) : null),
        (handle) => {
          entity.liveActivities.add(handle);
          adaptor.activityAdopted?.(handle);
        },
      );
    }
    this.kernel.onActivityEnded(name, (ac) => {
      entity.liveActivities.delete(ac.handle);
      adaptor.activityEnded?.(ac.handle);
      if (entity.state === 'STOPPING' && entity.liveActivities.size === 0) void this.finishRaStopping(entity);
    });
    await adaptor.raConfigure(config);
    this.raEntities.set(name, entity);
  }

  async activateResourceAdaptorEntity(name: string): Promise<void> {
    const entity = this.raEntity(name);
    if (entity.state !== 'INACTIVE') throw new SleetError(ErrorCode.INVALID_STATE, `resource-adaptor entity '${name}' is ${entity.state}`);
    entity.state = 'ACTIVE';
    if (this.currentState === 'RUNNING' || this.currentState === 'STARTING') await entity.adaptor.raActive();
    this.emit('raEntityStateChanged', { entity: name, state: 'ACTIVE' });
  }

  /** ACTIVE → STOPPING (no new activities) → INACTIVE once its activities have ended. */
  async deactivateResourceAdaptorEntity(name: string): Promise<void> {
    const entity = this.raEntity(name);
    if (entity.state !== 'ACTIVE') throw new SleetError(ErrorCode.INVALID_STATE, `resource-adaptor entity '${name}' is ${entity.state}`);
    entity.state = 'STOPPING';
    this.emit('raEntityStateChanged', { entity: name, state: 'STOPPING' });
    await entity.adaptor.raStopping();
    if (entity.liveActivities.size === 0) await this.finishRaStopping(entity);
  }

  private async finishRaStopping(entity: ResourceAdaptorEntity): Promise<void> {
    if (entity.state !== 'STOPPING') return;
    entity.state = 'INACTIVE';
    await entity.adaptor.raInactive();
    this.emit('raEntityStateChanged', { entity: entity.name, state: 'INACTIVE' });
  }

  async reconfigureResourceAdaptorEntity(name: string, config: ConfigProperties): Promise<void> {
    const entity = this.raEntity(name);
    const merged = { ...entity.config, ...config };
    entity.adaptor.raVerifyConfiguration?.(merged);
    await entity.adaptor.raConfigure(merged);
    entity.config = merged;
  }

  async removeResourceAdaptorEntity(name: string): Promise<void> {
    const entity = this.raEntity(name);
    if (entity.state !== 'INACTIVE') throw new SleetError(ErrorCode.INVALID_STATE, `resource-adaptor entity '${name}' is ${entity.state}; deactivate it first`);
    const bound = [...this.links].filter(([, e]) => e === name).map(([l]) => l);
    if (bound.length > 0) throw new SleetError(ErrorCode.INVALID_STATE, `resource-adaptor entity '${name}' is bound to link name(s) ${bound.join(', ')}`);
    await entity.adaptor.raUnconfigure?.();
    this.raEntities.delete(name);
  }

  /** Binds a link name so SBBs declaring `@RaLink(linkName)` receive the entity's SBB interface. */
  bindLinkName(linkName: string, entityName: string): void {
    const entity = this.raEntity(entityName);
    if (this.links.has(linkName))
      throw new SleetError(ErrorCode.DUPLICATE_COMPONENT, `link name '${linkName}' is already bound to '${this.links.get(linkName)}'`);
    this.links.set(linkName, entityName);
    this.root.bind(raLinkToken(linkName)).toConstantValue(entity.adaptor.getSbbInterface());
  }

  unbindLinkName(linkName: string): void {
    const users = [...this.kernel.services.values()].filter((r) => [...r.model.sbbs.values()].some((s) => s.raLinks.includes(linkName)));
    if (users.length > 0) throw new SleetError(ErrorCode.INVALID_STATE, `link name '${linkName}' is used by ${users.map((u) => u.key).join(', ')}`);
    this.links.delete(linkName);
    this.root.unbind(raLinkToken(linkName));
  }

  listResourceAdaptorEntities(): Array<{ name: string; state: ResourceAdaptorEntity['state']; config: ConfigProperties; activities: number }> {
    return [...this.raEntities.values()].map((e) => ({ name: e.name, state: e.state, config: e.config, activities: e.liveActivities.size }));
  }

  listLinkNames(): Array<{ link: string; entity: string }> {
    return [...this.links].map(([link, entity]) => ({ link, entity }));
  }

  private raEntity(name: string): ResourceAdaptorEntity {
    const entity = this.raEntities.get(name);
    if (!entity) throw new SleetError(ErrorCode.UNKNOWN_COMPONENT, `no resource-adaptor entity named '${name}'`);
    return entity;
  }

  private endpointFor(entity: ResourceAdaptorEntity): SleeEndpoint {
    const kernel = this.kernel;
    const activity = (handle: string) => {
      const ac = kernel.activityByHandle(entity.name, handle);
      if (!ac) throw new SleetError(ErrorCode.UNRECOGNIZED_ACTIVITY, `${entity.name} has no activity '${handle}'`);
      return ac;
    };
    return {
      startActivity: (handle, object) => {
        if (entity.state !== 'ACTIVE') {
          throw new SleetError(ErrorCode.INVALID_STATE, `resource-adaptor entity '${entity.name}' is ${entity.state}: it cannot start activities`);
        }
        kernel.startActivity(entity.name, handle, object);
        entity.liveActivities.add(handle);
      },
      fireEvent: (handle, type, event, options = {}) => {
        if (this.currentState !== 'RUNNING') {
          throw new SleetError(ErrorCode.INVALID_STATE, `the SLEE is ${this.currentState}: events are not accepted`);
        }
        kernel.fire(activity(handle), type, event, options.address ?? null, null, options.onProcessed, options.answered);
      },
      endActivity: (handle) => kernel.endActivity(activity(handle)),
      clustered: kernel.replication !== null,
      isActive: (handle) => kernel.activityByHandle(entity.name, handle)?.state === 'active',
      deliveryTransaction: (handle) => {
        const tx = kernel.activityByHandle(entity.name, handle)?.deliveryTx;
        return tx?.active ? tx : undefined;
      },
      replicateActivity: async (handle, adaptorState) => {
        await kernel.replication?.replicate(activity(handle), adaptorState);
      },
      adoptActivity: async (handle, object) => {
        if (entity.state !== 'ACTIVE') return false;
        const ac = await kernel.adoptActivity(entity.name, handle, object);
        if (ac) entity.liveActivities.add(handle);
        return ac !== null;
      },
    };
  }
}
