import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { SbbCaller } from './sbb-caller.js';
import type { SbbEntity } from './sbb-entity.js';
import type { SbbLocal, SbbLocalObject } from './sbb-local-object.js';

const ENTITY = Symbol('sleet:local-entity');

class LocalObject implements SbbLocalObject {
  readonly [ENTITY]: SbbEntity;

  constructor(
    private readonly caller: SbbCaller,
    entity: SbbEntity,
  ) {
    this[ENTITY] = entity;
  }

  get entityId(): string {
    return this[ENTITY].id;
  }

  get priority(): number {
    return this[ENTITY].priority;
  }

  get removed(): boolean {
    return this[ENTITY].removed;
  }

  setPriority(priority: number): void {
    this.caller.host.setPriority(this.caller.requireTx(), this[ENTITY], priority);
  }

  remove(): void {
    this.caller.host.removeEntity(this.caller.requireTx(), this[ENTITY]);
  }

  isIdentical(other: SbbLocalObject): boolean {
    return entityOf(other) === this[ENTITY];
  }
}

export function entityOf(local: SbbLocalObject): SbbEntity {
  const entity = (local as Partial<LocalObject>)[ENTITY];
  if (!entity) throw new SleetError(ErrorCode.NO_SUCH_ENTITY, 'not an SBB local object of this SLEE');
  return entity;
}

/**
 * A local object whose unknown properties are the target SBB's methods,
 * invoked on a pooled object bound to the target entity within the
 * caller's transaction (as JSLEE's SBB local interface calls are).
 */
export function createLocalObject<T = unknown>(caller: SbbCaller, entity: SbbEntity): SbbLocal<T> {
  const base = new LocalObject(caller, entity);
  return new Proxy(base, {
    get(target, prop, receiver) {
      if (prop in target) return Reflect.get(target, prop, receiver);
      const method = typeof prop === 'string' ? (entity.component.ctor.prototype as Record<string, unknown>)[prop] : undefined;
      if (typeof method !== 'function') return undefined;
      return (...args: unknown[]) => caller.host.invokeLocal(caller.requireTx(), caller.requireEntity(), entity, prop as string, args);
    },
  }) as unknown as SbbLocal<T>;
}
