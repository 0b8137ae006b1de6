import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ServiceRuntime } from '../container/service-runtime.js';
import { isPromise } from '../container/is-promise.js';
import type { LifecycleCallback } from '../deployment/sbb-component.js';
import type { EventContext } from '../router/event-context.js';
import type { Transaction } from '../transaction/transaction.js';
import type { SbbCaller } from './sbb-caller.js';
import type { SbbContextImpl } from './sbb-context-impl.js';
import type { SbbEntity } from './sbb-entity.js';

/**
 * Binds pooled SBB objects to entities for the length of a call, with the
 * JSLEE lifecycle callbacks around it.
 */
export class ObjectBinding {
  constructor(private readonly runtimeOf: (entity: SbbEntity) => ServiceRuntime) {}

  /** Calls a method of another entity of the same tree within the caller's transaction. */
  invokeLocal(tx: Transaction, caller: SbbEntity, entity: SbbEntity, method: string, args: unknown[]): unknown {
    if (entity.removed) throw new SleetError(ErrorCode.NO_SUCH_ENTITY, `SBB entity ${entity.id} has been removed`);
    if (entity.root !== caller.root) {
      throw new SleetError(ErrorCode.NO_SUCH_ENTITY, `SBB entity ${entity.id} belongs to another tree; only entities of the caller's tree can be invoked`);
    }
    return this.runBound(tx, entity, null, (obj) => (obj as Record<string, (...a: unknown[]) => unknown>)[method]!(...args));
  }

  /**
   * Runs `fn` on a pooled object bound to the entity, with the activation
   * and load callbacks around it, and releases the object afterwards, also
   * when `fn` returns a promise.
   */
  runBound<T>(tx: Transaction, entity: SbbEntity, event: EventContext | null, fn: (obj: object, ctx: SbbCaller) => T): T {
    const ctx = this.bind(tx, entity, event);
    let async = false;
    try {
      const result = fn(ctx.object, ctx);
      if (isPromise(result)) {
        async = true;
        return result.finally(() => this.unbind(ctx, entity)) as T;
      }
      return result;
    } finally {
      if (!async) this.unbind(ctx, entity);
    }
  }

  /**
   * Takes a pooled object and binds it to the entity, activation and load
   * callbacks included, for a call that `unbind` ends: an event handler
   * waits for its own promise with one reaction instead of runBound's chain.
   */
  bind(tx: Transaction, entity: SbbEntity, event: EventContext | null): SbbContextImpl {
    const ctx = this.runtimeOf(entity).pool(entity.component.key).acquire();
    ctx.bind(entity, tx, event);
    const lifecycle = entity.component.lifecycle;
    if (lifecycle.size > 0) {
      try {
        if (lifecycle.has('sbbActivate')) this.callback(ctx.object, 'sbbActivate', entity);
        if (lifecycle.has('sbbLoad')) this.callback(ctx.object, 'sbbLoad', entity);
      } catch (err) {
        this.unbind(ctx, entity);
        throw err;
      }
    }
    return ctx;
  }

  /** Store and passivate callbacks (unless the transaction is over or the entity gone), then the object goes back to its pool. */
  unbind(ctx: SbbContextImpl, entity: SbbEntity): void {
    const lifecycle = entity.component.lifecycle;
    try {
      if (lifecycle.size > 0 && ctx.tx?.active && !ctx.tx.rollbackOnly && !entity.removed) {
        if (lifecycle.has('sbbStore')) this.callback(ctx.object, 'sbbStore', entity);
        if (lifecycle.has('sbbPassivate')) this.callback(ctx.object, 'sbbPassivate', entity);
      }
    } finally {
      ctx.pool.release(ctx);
    }
  }

  callback(obj: object, name: LifecycleCallback, entity: SbbEntity, ...args: unknown[]): unknown {
    if (!entity.component.lifecycle.has(name)) return undefined;
    return (obj as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
  }
}
