import { types } from 'node:util';
import type { InitialEventSelector, InitialEventSelectVariable } from '../component-model/initial-event-select.js';
import type { ActivityContext } from '../activity/activity-context.js';
import { ActivityEndEventType } from '../activity/activity-end-event.js';
import { AciView } from '../activity/aci-view.js';
import type { DeliveryHost } from './delivery-host.js';
import type { ServiceRuntime } from '../container/service-runtime.js';
import type { HandlerModel } from '../deployment/sbb-component.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { ServiceComponent } from '../deployment/service-component.js';
import type { SbbCaller } from '../entity/sbb-caller.js';
import type { SbbContextImpl } from '../entity/sbb-context-impl.js';
import type { TimerHandle } from '../../base/clock/clock.js';
import { Transaction } from '../transaction/transaction.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { EventContext } from './event-context.js';
import { sbbNotificationSource } from '../facilities/notification-source.js';
import type { PendingEvent } from './pending-event.js';
import { isPromise } from '../container/is-promise.js';

const HANDLER_FAILED = Symbol('sleet:handler-failed');
const NO_SERVICES: readonly ServiceRuntime[] = [];
type Step = void | Promise<void>;

/** An async handler being waited for: settled first or timed out first, the delivery goes on once. */
interface AwaitedHandler {
  readonly tx: Transaction;
  readonly target: Target;
  readonly ctx: SbbContextImpl;
  timer: TimerHandle | null;
  done: boolean;
  readonly resolve: (step: Step) => void;
  readonly reject: (err: unknown) => void;
}

/** What an initial event's convergence name is made of, after the service's selector method (if any) had its say. */
interface Convergence {
  readonly selected: ReadonlySet<InitialEventSelectVariable>;
  readonly address: string | null;
  readonly customName: string | null;
}

/** One SBB entity to deliver to. */
interface Target {
  readonly entity: SbbEntity;
  readonly handler: HandlerModel;
  /** Attach the entity first (initial events). */
  readonly attach: boolean;
  /** The transaction that created this root, which the delivery continues. */
  readonly created: Transaction | false;
  /** The active service whose initial event created this root, to select again (versions included) if its creation conflicts. */
  readonly runtime?: ServiceRuntime;
  /** What to do when the entity was removed while this delivery waited for its lock. */
  readonly onRemoved?: () => Step;
}

export interface DeliveryOutcome {
  readonly failed: boolean;
  /** SBB entities whose handler ran (whether or not it failed). */
  readonly delivered: number;
  /** `name:vendor:version` of the service whose handler answered the event, for events whose resource adaptor can tell. */
  readonly answeredBy?: string;
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
  /** Services that take the event as initial, highest priority first; those before `nextInitial` have had their turn. */
  private readonly initialServices: readonly ServiceRuntime[];
  private nextInitial = 0;
  private readonly context: EventContext;
  private failed = false;
  /** Attempt number of the delivery to the current entity; above 1 after a conflict. */
  private attempt = 1;
  /** Isolation-lock keys a retry holds: every key its attempts conflicted on. */
  private retryKeys: string[] | null = null;
  private errors: Map<Transaction, unknown> | null = null;
  /** The service whose handler answered the event, for events whose resource adaptor can tell. */
  private answeredBy: ServiceComponent | null = null;

  constructor(
    private readonly host: DeliveryHost,
    private readonly ac: ActivityContext,
    private readonly ev: PendingEvent,
  ) {
    this.key = ev.type.key;
    this.isEnd = this.key === ActivityEndEventType.key;
    const initial = this.isEnd ? NO_SERVICES : host.initialServicesFor(this.key);
    this.initialServices = ev.service ? initial.filter((s) => s.key === ev.service) : initial;
    this.context = new EventContext(ev.type, ev.event, ev.address, host.suspendTimeoutMs, host.clock);
  }

  run(): DeliveryOutcome | Promise<DeliveryOutcome> {
    for (;;) {
      // Checked before each step, so a suspension made by an async handler holds the next SBB too.
      const suspension = this.context.suspension;
      if (suspension) return suspension.then(() => this.run());
      const step = this.next();
      if (step === null) break;
      if (isPromise(step)) return step.then(() => this.run());
    }
    if (this.isEnd) this.host.finishActivity(this.ac);
    const by = this.answeredBy?.id;
    return by
      ? { failed: this.failed, delivered: this.delivered.size, answeredBy: `${by.name}:${by.vendor}:${by.version}` }
      : { failed: this.failed, delivered: this.delivered.size };
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
    const service = this.initialServices[this.nextInitial];
    if (service && (!best || comparePriority([service.model.priority], bestPath ?? best.priorityPath()) < 0)) {
      this.nextInitial++;
      return this.initial(service);
    }
    if (!best) return null;
    this.delivered.add(best);
    return this.deliver({ entity: best, handler: best.component.handlers.get(this.key)!, attach: false, created: false });
  }

  private eligible(entity: SbbEntity): boolean {
    return (
      !this.delivered.has(entity) &&
      entity.component.handlers.has(this.key) &&
      (this.isEnd || !this.ac.isMasked(entity, this.key)) &&
      (this.ev.service === null || entity.service.key === this.ev.service) &&
      !this.skipsAnswered(entity.service)
    );
  }

  /** A service that leaves answered events alone (`skipAnswered`) does not get one a higher-priority service answered. */
  private skipsAnswered(service: ServiceComponent): boolean {
    return service.skipAnswered && this.ev.answered?.() === true;
  }

  // ---- initial event processing ------------------------------------------

  /** `entry` is the active version the index offered; an activity that predates an upgrade goes to the version it started under. */
  private initial(entry: ServiceRuntime): Step {
    if (entry.state !== 'ACTIVE') return;
    const runtime = this.host.versionFor(entry, this.ac);
    const handler = runtime.model.root.handlers.get(this.key);
    const initial = handler?.initial;
    if (!handler || !initial) return;
    if (this.skipsAnswered(runtime.model)) {
      if (this.answeredBy) this.host.answerWatch.answeredBefore(this.ev.type.name, runtime.model, this.answeredBy);
      return;
    }
    // What the selector method may change; without one, the declared variables are read in place.
    let selected: ReadonlySet<InitialEventSelectVariable> = initial.select;
    let address = this.ev.address;
    let customName: string | null = null;
    if (initial.selector) {
      const selector: InitialEventSelector = {
        event: this.ev.event,
        eventType: this.ev.type,
        activity: this.ac.activity,
        address,
        customName,
        initialEvent: true,
        selected: new Set(initial.select),
      };
      const method = initial.selector;
      const chosen = runtime
        .pool(runtime.model.root.key)
        .withObject((obj) => (obj as Record<string, (s: InitialEventSelector) => InitialEventSelector>)[method]!(selector));
      Object.assign(selector, chosen ?? {});
      if (!selector.initialEvent) return;
      ({ selected, address, customName } = selector);
    }
    if (selected.has('Address') && address === null) return;
    const convergence: Convergence = { selected, address, customName };
    if (selected.has('AddressProfile')) {
      const table = runtime.model.addressProfileTable;
      const resolver = this.host.addressProfileResolver;
      if (!table || !resolver || address === null) return;
      const profile = resolver(table, address);
      if (profile instanceof Promise) return profile.then((name) => this.converge(entry, runtime, handler, convergence, name));
      return this.converge(entry, runtime, handler, convergence, profile);
    }
    return this.converge(entry, runtime, handler, convergence, null);
  }

  private converge(entry: ServiceRuntime, runtime: ServiceRuntime, handler: HandlerModel, convergence: Convergence, addressProfile: string | null): Step {
    const s = convergence.selected;
    if (s.has('AddressProfile') && addressProfile === null) return;
    let name = '';
    if (s.has('ActivityContext')) name += `ac=${this.ac.id};`;
    if (s.has('Address')) name += `addr=${convergence.address};`;
    if (s.has('AddressProfile')) name += `ap=${addressProfile};`;
    if (s.has('EventType')) name += `et=${this.key};`;
    if (s.has('Event')) name += `ev=${this.ev.seq};`;
    if (convergence.customName !== null) name += `cn=${convergence.customName};`;
    const existing = runtime.roots.get(name);
    if (existing) {
      if (this.delivered.has(existing)) return;
      this.delivered.add(existing);
      return this.deliver({ entity: existing, handler, attach: true, created: false, onRemoved: () => this.retryInitial(entry, existing) });
    }
    // This event already reached that name's root as an attached entity, whose handler let it go: once a commit
    // waits (a replicated activity), the root is gone by now, and a second root would take the same event.
    for (const delivered of this.delivered) if (delivered.convergenceName === name && delivered.service.key === runtime.key) return;
    if (runtime.state === 'INACTIVE' || entry.state !== 'ACTIVE' || this.ac.state === 'ended') return;
    const tx = new Transaction();
    const root = this.host.createRoot(tx, runtime, name);
    this.delivered.add(root);
    return this.deliver({ entity: root, handler, attach: true, created: tx, runtime: entry });
  }

  /** The root found by convergence was removed while this event waited for its lock: select again. */
  private retryInitial(entry: ServiceRuntime, stale: SbbEntity): Step {
    this.delivered.delete(stale);
    return this.initial(entry);
  }

  // ---- delivery to one entity -------------------------------------------

  private deliver(target: Target): Step {
    const lock = target.entity.treeLock;
    if (lock.tryAcquire()) return this.locked(target);
    return lock.acquire().then(() => this.locked(target));
  }

  /**
   * With the tree's lock held. A retry also takes the isolation locks of
   * what its earlier attempts touched, after the tree's lock and never the
   * other way round, so tree locks and isolation locks cannot deadlock.
   */
  private locked(target: Target): Step {
    const keys = this.retryKeys;
    if (keys) {
      const waiting = this.host.isolationLocks.acquireAll(keys, this);
      if (waiting) return waiting.then(() => this.invoke(target));
    }
    return this.invoke(target);
  }

  private invoke(target: Target): Step {
    const { entity, handler, attach, created } = target;
    if (entity.removed || (!attach && !this.ac.attached.has(entity)) || this.ac.state === 'ended') {
      this.release(entity);
      return entity.removed && target.onRemoved ? target.onRemoved() : undefined;
    }
    if (attach && this.answeredBy && this.ev.answered?.()) this.host.answerWatch.answeredBefore(this.ev.type.name, entity.service, this.answeredBy);
    const tx = created || new Transaction();
    tx.lockOwner = this;
    this.ac.deliveryTx = tx;
    let ctx: SbbContextImpl;
    try {
      ctx = this.host.bind(tx, entity, this.context);
    } catch (err) {
      return this.finish(tx, target, this.handlerThrew(tx, null, null, entity, err));
    }
    const obj = ctx.object;
    let outcome: unknown;
    try {
      if (created) {
        this.host.callback(obj, 'sbbCreate', entity);
        this.host.callback(obj, 'sbbPostCreate', entity);
      }
      if (attach) this.host.attach(tx, this.ac, entity);
      const aci = new AciView(this.ac, ctx);
      outcome = (obj as Record<string, (...a: unknown[]) => unknown>)[handler.method]!(this.ev.event, aci, this.context);
    } catch (err) {
      outcome = this.handlerThrew(tx, obj, ctx, entity, err);
    }
    if (isPromise(outcome)) return this.awaitHandler(outcome, tx, target, ctx);
    try {
      this.host.unbind(ctx, entity);
    } catch (err) {
      outcome = this.handlerThrew(tx, null, null, entity, err);
    }
    return this.finish(tx, target, outcome);
  }

  /**
   * Waits for an async handler for at most the handler timeout, on the
   * kernel's clock, with one reaction to its promise: the object stays bound
   * until the handler settles, also past the timeout, whose rollback makes
   * the handler's later writes fail.
   */
  private awaitHandler(pending: Promise<unknown>, tx: Transaction, target: Target, ctx: SbbContextImpl): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const wait: AwaitedHandler = { tx, target, ctx, timer: null, done: false, resolve, reject };
      wait.timer = this.host.clock.schedule(this.host.handlerTimeoutMs, () => this.handlerOver(wait, this.timedOut(tx)));
      pending.then(
        (value) => this.handlerSettled(wait, value, false),
        (err: unknown) => this.handlerSettled(wait, err, true),
      );
    });
  }

  /** The handler's promise settled: its object goes back to the pool, and the delivery goes on unless the timeout came first. */
  private handlerSettled(wait: AwaitedHandler, result: unknown, threw: boolean): void {
    const entity = wait.target.entity;
    try {
      let outcome = threw ? this.handlerThrew(wait.tx, wait.ctx.object, wait.ctx, entity, result) : result;
      try {
        this.host.unbind(wait.ctx, entity);
      } catch (err) {
        if (wait.done) return;
        outcome = this.handlerThrew(wait.tx, null, null, entity, err);
      }
      if (wait.done) return;
      this.host.clock.cancel(wait.timer!);
      this.handlerOver(wait, outcome);
    } catch (err) {
      if (wait.done) return;
      wait.done = true;
      this.host.clock.cancel(wait.timer!);
      wait.reject(err);
    }
  }

  /** The handler settled or timed out, whichever came first: the delivery goes on from here. */
  private handlerOver(wait: AwaitedHandler, outcome: unknown): void {
    if (wait.done) return;
    wait.done = true;
    try {
      wait.resolve(this.finish(wait.tx, wait.target, outcome));
    } catch (err) {
      wait.reject(err);
    }
  }

  /**
   * Waits for an async sbbRolledBack for at most the handler timeout, on the
   * kernel's clock. What settles after the timeout is ignored: its
   * transaction is rolled back by then and refuses writes.
   */
  private settle<T>(pending: Promise<T>, onValue: (value: T) => Step, onError: (err: unknown) => Step, onTimeout: () => Step): Promise<void> {
    const clock = this.host.clock;
    return new Promise<void>((resolve, reject) => {
      let done = false;
      const run = (fn: () => Step): void => {
        if (done) return;
        done = true;
        try {
          resolve(fn());
        } catch (err) {
          reject(err);
        }
      };
      const timer = clock.schedule(this.host.handlerTimeoutMs, () => run(onTimeout));
      pending.then(
        (value) => {
          clock.cancel(timer);
          run(() => onValue(value));
        },
        (err: unknown) => {
          clock.cancel(timer);
          run(() => onError(err));
        },
      );
    });
  }

  /**
   * JSLEE: sbbExceptionThrown on the same object, in the transaction that is now doomed. A request answered
   * meanwhile (ANSWERED_MEANWHILE, from the adaptor's answering helpers) is no failure: the handler stopped
   * where it would have returned had it checked, so what it did so far commits.
   */
  private handlerThrew(tx: Transaction, obj: object | null, ctx: SbbCaller | null, entity: SbbEntity, err: unknown): typeof HANDLER_FAILED | undefined {
    if (tx.active && SleetError.is(err, ErrorCode.ANSWERED_MEANWHILE)) {
      this.host.logger.debug({ entity: entity.id, event: this.ev.type.key, reason: err.message }, 'the handler stopped: its request was answered meanwhile');
      return undefined;
    }
    if (!tx.active) {
      // Failing after its timeout: the transaction is gone and the timeout already reported.
      this.host.logger.warn({ err, entity: entity.id, event: this.ev.type.key }, 'a handler failed after its timeout had rolled it back');
      return HANDLER_FAILED;
    }
    tx.setRollbackOnly();
    if (obj && ctx) {
      try {
        this.host.callback(obj, 'sbbExceptionThrown', entity, err, this.ev.event, new AciView(this.ac, ctx));
      } catch (callbackError) {
        this.host.logger.error({ err: callbackError, entity: entity.id }, 'sbbExceptionThrown threw');
      }
    }
    (this.errors ??= new Map()).set(tx, err);
    return HANDLER_FAILED;
  }

  private timedOut(tx: Transaction): typeof HANDLER_FAILED {
    (this.errors ??= new Map()).set(tx, new SleetError(ErrorCode.HANDLER_TIMEOUT, `the handler did not settle within ${this.host.handlerTimeoutMs} ms`));
    return HANDLER_FAILED;
  }

  private finish(tx: Transaction, target: Target, outcome: unknown): Step {
    if (this.ac.deliveryTx === tx) this.ac.deliveryTx = null;
    if (!this.answeredBy && this.ev.answered?.()) {
      this.answeredBy = target.entity.service;
      this.host.answerWatch.answered(this.ev.type.name, this.ac.id, this.answeredBy);
    }
    if (outcome !== HANDLER_FAILED && !tx.rollbackOnly) {
      return this.commitAndRelease(tx, target.entity, (err) => this.commitFailed(tx, target, err));
    }
    const error = this.errors?.get(tx) ?? new SleetError(ErrorCode.TRANSACTION_ROLLED_BACK, 'the handler marked its transaction rollback-only');
    tx.rollback();
    return this.rolledBack(tx, target, error);
  }

  /**
   * A commit that lost to a concurrent one (its transaction is rolled back
   * already) is attempted again, up to the bound, holding the isolation
   * locks of the keys it lost on, so that it cannot lose the same way again.
   */
  private commitFailed(tx: Transaction, target: Target, err: unknown): Step {
    if (!SleetError.is(err, ErrorCode.TRANSACTION_CONFLICT) || this.attempt >= this.host.transactionAttempts) {
      return this.rolledBack(tx, target, err);
    }
    this.attempt++;
    this.host.stats.transactionRetries++;
    const previous = this.retryKeys;
    const keys = new Set(previous);
    const conflicted = (err.details as { keys?: string[] } | undefined)?.keys ?? [];
    for (const key of conflicted) keys.add(key);
    // Released and taken again as one sorted set: taking a key below one held could deadlock.
    if (previous) this.host.isolationLocks.releaseAll(previous, this);
    this.retryKeys = [...keys];
    this.host.logger.debug({ entity: target.entity.id, attempt: this.attempt, keys: this.retryKeys }, 'delivery retried after a conflicting commit');
    if (!target.created) return this.locked(target);
    // The root this attempt created went with its rollback: select a root again, as the first attempt did. The
    // isolation locks are let go meanwhile and taken again after the next root's tree lock.
    target.entity.treeLock.release();
    this.host.isolationLocks.releaseAll(this.retryKeys, this);
    this.delivered.delete(target.entity);
    const step = target.runtime ? this.initial(target.runtime) : undefined;
    return step instanceof Promise ? step.then(() => this.release(null)) : this.release(null);
  }

  /** Delivery to one entity is over: its isolation locks and its tree's lock (if any) go. */
  private release(entity: SbbEntity | null): void {
    if (this.retryKeys) {
      this.host.isolationLocks.releaseAll(this.retryKeys, this);
      this.retryKeys = null;
    }
    this.attempt = 1;
    entity?.treeLock.release();
  }

  /**
   * After a rollback: an alarm, then sbbRolledBack in a new transaction
   * (unless the entity's own creation was undone), and delivery goes on.
   */
  private rolledBack(tx: Transaction, target: Target, error: unknown): Step {
    const { entity, handler } = target;
    this.failed = true;
    this.host.stats.handlerFailures++;
    this.host.stats.rollbacks++;
    const sbb = entity.component.id;
    const source = sbbNotificationSource(entity.service.id, sbb);
    const timedOut = SleetError.is(error, ErrorCode.HANDLER_TIMEOUT);
    if (timedOut) this.host.stats.handlerTimeouts++;
    const message = `${sbb.name}.${handler.method} ${this.failureOf(tx, error)}`;
    this.host.alarms.raise(
      source,
      timedOut ? 'sleet.sbb.handler-timeout' : 'sleet.sbb.event-handler-failed',
      `${sbb.name}.${handler.method}`,
      'MAJOR',
      message,
      error,
    );
    this.host.traces.tracer(source).severe(message, error);
    if (entity.removed || !entity.component.lifecycle.has('sbbRolledBack')) {
      this.release(entity);
      return;
    }
    const recovery = new Transaction();
    recovery.lockOwner = this;
    let result: unknown;
    try {
      result = this.host.runBound(recovery, entity, null, (obj, ctx) =>
        this.host.callback(obj, 'sbbRolledBack', entity, {
          event: this.ev.event,
          eventType: this.ev.type,
          activityContextInterface: new AciView(this.ac, ctx),
          removeRolledBack: false,
        }),
      );
    } catch (err) {
      return this.recoveryFailed(recovery, entity, err);
    }
    if (isPromise(result)) {
      return this.settle(
        result,
        () => this.commitRecovery(recovery, entity),
        (err) => this.recoveryFailed(recovery, entity, err),
        () =>
          this.recoveryFailed(
            recovery,
            entity,
            new SleetError(ErrorCode.HANDLER_TIMEOUT, `sbbRolledBack did not settle within ${this.host.handlerTimeoutMs} ms`),
          ),
      );
    }
    return this.commitRecovery(recovery, entity);
  }

  private failureOf(tx: Transaction, error: unknown): string {
    const event = this.ev.type.name;
    const reason = types.isNativeError(error) ? error.message : String(error);
    if (SleetError.is(error, ErrorCode.HANDLER_TIMEOUT))
      return `did not settle within ${this.host.handlerTimeoutMs} ms handling ${event}; its transaction was rolled back`;
    if (this.errors?.has(tx)) return `threw handling ${event}: ${reason}`;
    if (SleetError.is(error)) return `could not commit handling ${event} (attempt ${this.attempt}): ${error.code}: ${reason}`;
    return `rolled back its transaction handling ${event}: ${reason}`;
  }

  private commitRecovery(recovery: Transaction, entity: SbbEntity): Step {
    return this.commitAndRelease(recovery, entity, (err) => this.recoveryFailed(recovery, entity, err));
  }

  /** Commits, then lets the entity go; a commit that fails, at once or when it settles, goes to `failed` instead. */
  private commitAndRelease(tx: Transaction, entity: SbbEntity, failed: (err: unknown) => Step): Step {
    let committing: void | Promise<void>;
    try {
      committing = tx.commit();
    } catch (err) {
      return failed(err);
    }
    if (committing instanceof Promise) {
      return committing.then(() => {
        this.host.stats.commits++;
        this.release(entity);
      }, failed);
    }
    this.host.stats.commits++;
    this.release(entity);
  }

  /** sbbRolledBack failed: its own changes are rolled back too, and an alarm says so. */
  private recoveryFailed(recovery: Transaction, entity: SbbEntity, error: unknown): void {
    recovery.rollback();
    const sbb = entity.component.id;
    const source = sbbNotificationSource(entity.service.id, sbb);
    const message = `${sbb.name}.sbbRolledBack threw after ${this.ev.type.name} was rolled back, and its changes were rolled back too: ${types.isNativeError(error) ? error.message : String(error)}`;
    this.host.alarms.raise(source, 'sleet.sbb.rolled-back-failed', `${sbb.name}.sbbRolledBack`, 'MAJOR', message, error);
    this.host.traces.tracer(source).severe(message, error);
    this.release(entity);
  }
}
