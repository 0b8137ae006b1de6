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
      if (isPromise(result)) {
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
}
