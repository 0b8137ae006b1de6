import type { SbbComponent } from '../deployment/sbb-component.js';
import { freezeSerialisable } from '../container/cmp-value.js';
import type { SbbCaller } from './sbb-caller.js';
import { ChildRelationView } from './child-relation-view.js';
import { ACCESSORS_INSTALLED, CMP_DEFAULTS, SBB_CONTEXT } from './sbb-object-symbols.js';

type SbbObject = {
  [SBB_CONTEXT]?: SbbCaller;
  [CMP_DEFAULTS]?: Record<string, unknown>;
};

/**
 * Turns the SBB's @Cmp and @ChildRelation properties into accessors on its
 * prototype. A CMP read returns the bound entity's value; a write goes
 * through the transaction. Assignments made while no entity is bound (field
 * initialisers in the constructor) become the defaults of new entities.
 */
export function installSbbAccessors(component: SbbComponent): void {
  const proto = component.ctor.prototype as Record<symbol, unknown>;
  if (Object.hasOwn(proto, ACCESSORS_INSTALLED)) return;
  Object.defineProperty(proto, ACCESSORS_INSTALLED, { value: true });
  for (const field of component.cmpFields) {
    Object.defineProperty(proto, field, {
      configurable: true,
      enumerable: true,
      get(this: SbbObject) {
        const ctx = this[SBB_CONTEXT];
        const value = ctx?.entity ? ctx.entity.cmp[field] : this[CMP_DEFAULTS]?.[field];
        return value instanceof Date ? new Date(value.getTime()) : value;
      },
      set(this: SbbObject, value: unknown) {
        const ctx = this[SBB_CONTEXT];
        if (ctx?.entity) ctx.host.writeCmp(ctx.requireTx(), ctx.requireEntity(), field, value);
        else (this[CMP_DEFAULTS] ??= {})[field] = freezeSerialisable(value, `${component.id.name}.${field}`);
      },
    });
  }
  for (const relation of component.childRelations) {
    Object.defineProperty(proto, relation.name, {
      configurable: true,
      get(this: SbbObject) {
        return new ChildRelationView(this[SBB_CONTEXT]!, relation);
      },
    });
  }
}

export function bindObjectContext(object: object, ctx: SbbCaller): void {
  Object.defineProperty(object, SBB_CONTEXT, { value: ctx });
}

export function cmpDefaultsOf(object: object): Record<string, unknown> {
  return { ...(object as SbbObject)[CMP_DEFAULTS] };
}
