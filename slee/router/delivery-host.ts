import type { Logger } from 'pino';
import type { Clock } from '../../base/clock/clock.js';
import type { ActivityContext } from '../activity/activity-context.js';
import type { ServiceRuntime } from '../container/service-runtime.js';
import type { KernelStats } from '../container/kernel-stats.js';
import type { LifecycleCallback } from '../deployment/sbb-component.js';
import type { SbbCaller } from '../entity/sbb-caller.js';
import type { SbbContextImpl } from '../entity/sbb-context-impl.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { AlarmRegistry } from '../facilities/alarm/alarm-registry.js';
import type { TraceRegistry } from '../facilities/trace/trace-registry.js';
import type { IsolationLocks } from '../transaction/isolation-locks.js';
import type { Transaction } from '../transaction/transaction.js';
import type { AddressProfileResolver } from './address-profile-resolver.js';
import type { EventContext } from './event-context.js';
import type { AnswerWatch } from './answer-watch.js';

/** What the event router and each delivery need of the container; the kernel implements it. */
export interface DeliveryHost {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly alarms: AlarmRegistry;
  readonly traces: TraceRegistry;
  readonly stats: KernelStats;
  /** Held by deliveries retrying after a conflict. */
  readonly isolationLocks: IsolationLocks;
  readonly addressProfileResolver: AddressProfileResolver | undefined;
  readonly suspendTimeoutMs: number;
  readonly handlerTimeoutMs: number;
  readonly transactionAttempts: number;
  /** Which service answered what, and services that only ever see answered events. */
  readonly answerWatch: AnswerWatch;
  /** Active services that take the event type as initial, highest priority first. */
  initialServicesFor(eventKey: string): readonly ServiceRuntime[];
  /** The version of a service that takes initial events on the activity (see versioned upgrades). */
  versionFor(runtime: ServiceRuntime, ac: ActivityContext): ServiceRuntime;
  createRoot(tx: Transaction, runtime: ServiceRuntime, convergenceName: string): SbbEntity;
  attach(tx: Transaction, ac: ActivityContext, entity: SbbEntity): void;
  /** Runs `fn` on a pooled object bound to the entity, with its lifecycle callbacks around it. */
  runBound<T>(tx: Transaction, entity: SbbEntity, event: EventContext | null, fn: (obj: object, ctx: SbbCaller) => T): T;
  /** Binds a pooled object to the entity for a call that `unbind` ends (see ObjectBinding.bind). */
  bind(tx: Transaction, entity: SbbEntity, event: EventContext | null): SbbContextImpl;
  unbind(ctx: SbbContextImpl, entity: SbbEntity): void;
  callback(obj: object, name: LifecycleCallback, entity: SbbEntity, ...args: unknown[]): unknown;
  /** After the activity end event is delivered. */
  finishActivity(ac: ActivityContext): void;
}
