import type { InitialEventSelector } from '../component-model/initial-event-select.js';
import type { ActivityContext } from '../activity/activity-context.js';
import { ActivityEndEventType } from '../activity/activity-end-event.js';
import { AciView } from '../activity/aci-view.js';
import type { Kernel } from '../container/kernel.js';
import type { ServiceRuntime } from '../container/service-runtime.js';
import type { HandlerModel } from '../deployment/sbb-component.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { SbbContextImpl } from '../entity/sbb-context-impl.js';
import { Transaction } from '../transaction/transaction.js';
import { EventContext } from './event-context.js';
import { sbbNotificationSource } from '../facilities/notification-source.js';
import type { PendingEvent } from './pending-event.js';

const HANDLER_FAILED = Symbol('sleet:handler-failed');
type Step = void | Promise<void>;

export interface DeliveryOutcome {
  readonly failed: boolean;
  /** SBB entities whose handler ran (whether or not it failed). */
  readonly delivered: number;
}

/** Higher priority first; a parent ahead of its children. */
function comparePriority(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
  return a.length - b.length;
}

/**
 * Delivers one event to every SBB entity that should get it (JSLEE 1.1
 * §8.5-8.6): attached entities and, for services taking it as initial, the
 * root entity its convergence name selects, created if need be. At each
 * step the highest-priority candidate goes next, recomputed because a
 * handler may attach, detach or mask. Each SBB entity's handler runs in a
 * transaction of its own, holding its tree's lock.
 */
export class EventDelivery {
  private readonly key: string;
  private readonly isEnd: boolean;
  private readonly delivered = new Set<SbbEntity>();
  private readonly pendingServices: ServiceRuntime[];
  private readonly context: EventContext;
  private failed = false;

  constructor(
    private readonly kernel: Kernel,
    private readonly ac: ActivityContext,
    private readonly ev: PendingEvent,
  ) {
    this.key = ev.type.key;
    this.isEnd = this.key === ActivityEndEventType.key;
    const initial = this.isEnd ? [] : kernel.initialServicesFor(this.key);
    this.pendingServices = ev.service ? initial.filter((s) => s.key === ev.service) : [...initial];
    this.context = new EventContext(ev.type, ev.event, ev.address, kernel.suspendTimeoutMs);
  }

  run(): DeliveryOutcome | Promise<DeliveryOutcome> {
    for (;;) {
      const step = this.next();
      if (step === null) break;
      if (step instanceof Promise) return step.then(() => this.run());
      const suspension = this.context.suspension;
      if (suspension) return suspension.then(() => this.run());
    }
    if (this.isEnd) this.kernel.finishActivity(this.ac);
    return { failed: this.failed, delivered: this.delivered.size };
  }

  /** Delivers to the next candidate; null when none is left. */
  private next(): Step | null {
    let best: SbbEntity | null = null;
    let bestPath: number[] | null = null;
    for (const entity of this.ac.attached) {
      if (!this.eligible(entity)) continue;
      if (!best) {
        best = entity;
        continue;
      }
      bestPath ??= best.priorityPath();
      const path = entity.priorityPath();
      if (comparePriority(path, bestPath) < 0) {
        best = entity;
        bestPath = path;
      }
    }
    const service = this.pendingServices[0];
    if (service && (!best || comparePriority([service.model.priority], bestPath ?? best.priorityPath()) < 0)) {
      this.pendingServices.shift();
      return this.initial(service);
    }
    if (!best) return null;
    this.delivered.add(best);
    return this.deliver(best, best.component.handlers.get(this.key)!, false, false);
  }

  private eligible(entity: SbbEntity): boolean {
    return (
      !this.delivered.has(entity) &&
      entity.component.handlers.has(this.key) &&
      (this.isEnd || !this.ac.isMasked(entity, this.key)) &&
      (this.ev.service === null || entity.service.key === this.ev.service)
    );
  }

  // ---- initial event processing ------------------------------------------

  /** `entry` is the active version the index offered; an activity that predates an upgrade goes to the version it started under. */
  private initial(entry: ServiceRuntime): Step {
    if (entry.state !== 'ACTIVE') return;
    const runtime = this.kernel.versionFor(entry, this.ac);
    const handler = runtime.model.root.handlers.get(this.key);
    const initial = handler?.initial;
    if (!handler || !initial) return;
    const selector: InitialEventSelector = {
      event: this.ev.event,
      eventType: this.ev.type,
      activity: this.ac.activity,
      address: this.ev.address,
      customName: null,
      initialEvent: true,
      selected: new Set(initial.select),
    };
    if (initial.selector) {
      const method = initial.selector;
      const chosen = runtime
        .pool(runtime.model.root.key)
        .withObject((obj) => (obj as Record<string, (s: InitialEventSelector) => InitialEventSelector>)[method]!(selector));
      Object.assign(selector, chosen ?? {});
    }
    if (!selector.initialEvent) return;
    if (selector.selected.has('Address') && selector.address === null) return;
    if (selector.selected.has('AddressProfile')) {
      const table = runtime.model.addressProfileTable;
      const resolver = this.kernel.addressProfileResolver;
      if (!table || !resolver || selector.address === null) return;
      const profile = resolver(table, selector.address);
      if (profile instanceof Promise) return profile.then((name) => this.converge(entry, runtime, handler, selector, name));
      return this.converge(entry, runtime, handler, selector, profile);
    }
    return this.converge(entry, runtime, handler, selector, null);
  }

  private converge(entry: ServiceRuntime, runtime: ServiceRuntime, handler: HandlerModel, selector: InitialEventSelector, addressProfile: string | null): Step {
    const s = selector.selected;
    if (s.has('AddressProfile') && addressProfile === null) return;
    let name = '';
    if (s.has('ActivityContext')) name += `ac=${this.ac.id};`;
    if (s.has('Address')) name += `addr=${selector.address};`;
    if (s.has('AddressProfile')) name += `ap=${addressProfile};`;
    if (s.has('EventType')) name += `et=${this.key};`;
    if (s.has('Event')) name += `ev=${this.ev.seq};`;
    if (selector.customName !== null) name += `cn=${selector.customName};`;
    const existing = runtime.roots.get(name);
    if (existing) {
      if (this.delivered.has(existing)) return;
      this.delivered.add(existing);
      return this.deliver(existing, handler, true, false, () => this.retryInitial(entry, existing));
    }
    if (runtime.state === 'INACTIVE' || entry.state !== 'ACTIVE' || this.ac.state === 'ended') return;
    const tx = new Transaction();
    const root = this.kernel.createRoot(tx, runtime, name);
    this.delivered.add(root);
    return this.deliver(root, handler, true, tx);
  }

  /** The root found by convergence was removed while this event waited for its lock: select again. */
  private retryInitial(entry: ServiceRuntime, stale: SbbEntity): Step {
    this.delivered.delete(stale);
    return this.initial(entry);
  }

  // ---- delivery to one entity -------------------------------------------

  /**
   * `attach` attaches the entity first (initial events); `created` is the
   * transaction that created a new root, which the delivery continues.
   */
  private deliver(entity: SbbEntity, handler: HandlerModel, attach: boolean, created: Transaction | false, onRemoved?: () => Step): Step {
    const lock = entity.treeLock;
    if (lock.tryAcquire()) return this.invoke(entity, handler, attach, created, onRemoved);
    return lock.acquire().then(() => this.invoke(entity, handler, attach, created, onRemoved));
  }

  private invoke(entity: SbbEntity, handler: HandlerModel, attach: boolean, created: Transaction | false, onRemoved?: () => Step): Step {
    const lock = entity.treeLock;
    if (entity.removed || (!attach && !this.ac.attached.has(entity)) || this.ac.state === 'ended') {
      lock.release();
      return entity.removed && onRemoved ? onRemoved() : undefined;
    }
    const tx = created || new Transaction();
    let outcome: unknown;
    try {
      outcome = this.kernel.runBound(tx, entity, this.context, (obj, ctx) => {
        try {
          if (created) {
            this.kernel.callback(obj, 'sbbCreate', entity);
            this.kernel.callback(obj, 'sbbPostCreate', entity);
          }
          if (attach) this.kernel.attach(tx, this.ac, entity);
          const aci = new AciView(this.ac, ctx);
          const result = (obj as Record<string, (...a: unknown[]) => unknown>)[handler.method]!(this.ev.event, aci, this.context);
          if (result instanceof Promise) return result.catch((err: unknown) => this.handlerThrew(tx, obj, ctx, entity, err));
          return result;
        } catch (err) {
          return this.handlerThrew(tx, obj, ctx, entity, err);
        }
      });
    } catch (err) {
      outcome = this.handlerThrew(tx, null, null, entity, err);
    }
    if (outcome instanceof Promise) {
      return outcome.then(
        (value) => this.finish(tx, entity, handler, value),
        (err: unknown) => this.finish(tx, entity, handler, this.handlerThrew(tx, null, null, entity, err)),
      );
    }
    return this.finish(tx, entity, handler, outcome);
  }

  /** JSLEE: sbbExceptionThrown on the same object, in the transaction that is now doomed. */
  private handlerThrew(tx: Transaction, obj: object | null, ctx: SbbContextImpl | null, entity: SbbEntity, err: unknown): typeof HANDLER_FAILED {
    if (tx.active) tx.setRollbackOnly();
    if (obj && ctx) {
      try {
        this.kernel.callback(obj, 'sbbExceptionThrown', entity, err, this.ev.event, new AciView(this.ac, ctx));
      } catch (callbackError) {
        this.kernel.logger.error({ err: callbackError, entity: entity.id }, 'sbbExceptionThrown threw');
      }
    }
    (this.errors ??= new Map()).set(tx, err);
    return HANDLER_FAILED;
  }

  private errors: Map<Transaction, unknown> | null = null;

  private finish(tx: Transaction, entity: SbbEntity, handler: HandlerModel, outcome: unknown): Step {
    const lock = entity.treeLock;
    if (outcome !== HANDLER_FAILED && !tx.rollbackOnly) {
      let committing: void | Promise<void>;
      try {
        committing = tx.commit();
      } catch (err) {
        return this.rolledBack(tx, entity, handler, err, lock);
      }
      if (committing instanceof Promise) {
        return committing.then(
          () => lock.release(),
          (err: unknown) => this.rolledBack(tx, entity, handler, err, lock),
        );
      }
      lock.release();
      return;
    }
    const error = this.errors?.get(tx) ?? new Error('the handler marked its transaction rollback-only');
    tx.rollback();
    return this.rolledBack(tx, entity, handler, error, lock);
  }

  /**
   * After a rollback: sbbRolledBack in a new transaction (unless the
   * entity's own creation was undone), an alarm, and delivery goes on.
   */
  private rolledBack(tx: Transaction, entity: SbbEntity, handler: HandlerModel, error: unknown, lock: { release(): void }): void {
    this.failed = true;
    this.kernel.stats.handlerFailures++;
    const sbb = entity.component.id;
    const service = entity.service.id;
    const source = sbbNotificationSource(service, sbb);
    const rollbackOnly = this.errors?.has(tx) !== true;
    const message = `${sbb.name}.${handler.method} ${rollbackOnly ? 'rolled back its transaction' : 'threw'} handling ${this.ev.type.name}: ${error instanceof Error ? error.message : String(error)}`;
    this.kernel.alarms.raise(source, 'sleet.sbb.event-handler-failed', `${sbb.name}.${handler.method}`, 'MAJOR', message, error);
    this.kernel.traces.tracer(source).severe(message, error);
    try {
      if (!entity.removed && entity.component.lifecycle.has('sbbRolledBack')) {
        const recovery = new Transaction();
        this.kernel.runBound(recovery, entity, null, (obj, ctx) =>
          this.kernel.callback(obj, 'sbbRolledBack', entity, {
            event: this.ev.event,
            eventType: this.ev.type,
            activityContextInterface: new AciView(this.ac, ctx),
            removeRolledBack: false,
          }),
        );
        const committing = recovery.commit();
        if (committing instanceof Promise) committing.catch((err: unknown) => this.kernel.logger.error({ err }, 'sbbRolledBack transaction failed'));
      }
    } catch (err) {
      this.kernel.logger.error({ err, entity: entity.id }, 'sbbRolledBack threw');
    } finally {
      lock.release();
    }
  }
}
