import type { ChildRelationModel } from '../deployment/sbb-component.js';
import type { SbbCaller } from './sbb-caller.js';
import type { SbbLocal } from './sbb-local-object.js';
import { createLocalObject } from './local-object.js';

/** What an SBB sees through a @ChildRelation property: create and enumerate children. */
export class ChildRelationView<T = unknown> implements Iterable<SbbLocal<T>> {
  constructor(
    private readonly ctx: SbbCaller,
    private readonly relation: ChildRelationModel,
  ) {}

  /** Creates a child entity (transactional); sbbCreate and sbbPostCreate run on it first. */
  create(options: { priority?: number } = {}): SbbLocal<T> {
    const child = this.ctx.host.createChild(this.ctx.requireTx(), this.ctx.requireEntity(), this.relation, options.priority ?? this.relation.defaultPriority);
    return createLocalObject<T>(this.ctx, child);
  }

  get size(): number {
    return this.ctx.requireEntity().children?.get(this.relation.name)?.size ?? 0;
  }

  *[Symbol.iterator](): Iterator<SbbLocal<T>> {
    const children = this.ctx.requireEntity().children?.get(this.relation.name);
    if (children) for (const child of [...children]) yield createLocalObject<T>(this.ctx, child);
  }
}
