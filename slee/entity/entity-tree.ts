import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { Logger } from 'pino';
import type { ActivityContext } from '../activity/activity-context.js';
import { freezeSerialisable } from '../container/cmp-value.js';
import type { KernelStats } from '../container/kernel-stats.js';
import type { ServiceRuntime } from '../container/service-runtime.js';
import type { ChildRelationModel } from '../deployment/sbb-component.js';
import type { StateTable } from '../store/state-table.js';
import { Transaction } from '../transaction/transaction.js';
import type { ObjectBinding } from './object-binding.js';
import { cmpDefaultsOf } from './sbb-accessors.js';
import { SbbEntity } from './sbb-entity.js';

/** What the entity tree needs of the rest of the kernel. */
export interface EntityTreeHost {
  readonly logger: Logger;
  readonly stats: KernelStats;
  readonly entities: StateTable<string, SbbEntity>;
  runtimeOf(entity: SbbEntity): ServiceRuntime;
  detach(tx: Transaction, ac: ActivityContext, entity: SbbEntity): void;
  /** The activity contexts an entity is attached to, in attach order. */
  attachedActivities(entity: SbbEntity): ActivityContext[];
  serviceMayBeDrained(runtime: ServiceRuntime): void;
  /** In a cluster, what replicates trees: a removed one is deleted from the shared store. */
  readonly replication: { entityRemoved(tx: Transaction, entity: SbbEntity): void } | null;
}

/** SBB entities and their trees: creation, CMP writes, priorities and removal, each within a transaction. */
export class EntityTree {
  private nextEntity = 1;

  constructor(
    private readonly host: EntityTreeHost,
    private readonly binding: ObjectBinding,
    /** Entity ids are this prefix and a counter. */
    private readonly idPrefix = 'sbb-',
  ) {}

  writeCmp(tx: Transaction, entity: SbbEntity, field: string, value: unknown): void {
    const frozen = freezeSerialisable(value, `${entity.component.id.name}.${field}`);
    const cmp = entity.cmp;
    const had = Object.hasOwn(cmp, field);
    const old = cmp[field];
    cmp[field] = frozen;
    tx.undo(() => {
      if (had) cmp[field] = old;
      else delete cmp[field];
    });
  }

  /** Creates a root entity within the transaction; the caller runs sbbCreate and sbbPostCreate. */
  createRoot(tx: Transaction, runtime: ServiceRuntime, convergenceName: string): SbbEntity {
    const component = runtime.model.root;
    const defaults = runtime.pool(component.key).withObject(cmpDefaultsOf);
    const entity = new SbbEntity(
      `${this.idPrefix}${this.nextEntity++}`,
      component,
      runtime.model,
      null,
      runtime.model.priority,
      null,
      convergenceName,
      defaults,
    );
    this.host.entities.set(entity.id, entity);
    runtime.roots.set(convergenceName, entity);
    this.host.stats.entitiesCreated++;
    tx.undo(() => {
      entity.removed = true;
      this.host.entities.delete(entity.id);
      if (runtime.roots.get(convergenceName) === entity) runtime.roots.delete(convergenceName);
      this.host.stats.entitiesCreated--;
    });
    return entity;
  }

  createChild(tx: Transaction, parent: SbbEntity, relation: ChildRelationModel, priority: number): SbbEntity {
    const runtime = this.host.runtimeOf(parent);
    const defaults = runtime.pool(relation.child.key).withObject(cmpDefaultsOf);
    const child = new SbbEntity(`${this.idPrefix}${this.nextEntity++}`, relation.child, runtime.model, parent, priority, relation.name, null, defaults);
    const children = (parent.children ??= new Map());
    let set = children.get(relation.name);
    if (!set) children.set(relation.name, (set = new Set()));
    set.add(child);
    this.host.entities.set(child.id, child);
    this.host.stats.entitiesCreated++;
    tx.undo(() => {
      child.removed = true;
      set.delete(child);
      this.host.entities.delete(child.id);
      this.host.stats.entitiesCreated--;
    });
    this.binding.runBound(tx, child, null, (obj) => {
      this.binding.callback(obj, 'sbbCreate', child);
      this.binding.callback(obj, 'sbbPostCreate', child);
    });
    return child;
  }

  /** Removes an entity and its descendants within the transaction, children first, calling sbbRemove on each. */
  removeEntity(tx: Transaction, entity: SbbEntity): void {
    tx.assertActive();
    if (entity.removed) throw new SleetError(ErrorCode.NO_SUCH_ENTITY, `SBB entity ${entity.id} is already removed`);
    this.host.replication?.entityRemoved(tx, entity);
    if (entity.children) {
      const order = entity.subtree();
      for (let i = order.length - 1; i >= 0; i--) this.removeOne(tx, order[i]!);
    } else this.removeOne(tx, entity);
    const runtime = this.host.runtimeOf(entity);
    if (entity.parent) {
      const set = entity.parent.children?.get(entity.relation!);
      set?.delete(entity);
      tx.undo(() => set?.add(entity));
    } else if (entity.convergenceName !== null) {
      const name = entity.convergenceName;
      if (runtime.roots.get(name) === entity) {
        runtime.roots.delete(name);
        tx.undo(() => runtime.roots.set(name, entity));
      }
    }
    tx.afterCommit(() => this.host.serviceMayBeDrained(runtime));
  }

  /** One entity of a tree being removed, after its children. */
  private removeOne(tx: Transaction, e: SbbEntity): void {
    // An SBB without lifecycle methods has nothing to run: no object is taken from its pool.
    if (e.component.lifecycle.size > 0) this.binding.runBound(tx, e, null, (obj) => this.binding.callback(obj, 'sbbRemove', e));
    if (e.attachments.size > 0) for (const ac of this.host.attachedActivities(e)) this.host.detach(tx, ac, e);
    e.removed = true;
    this.host.entities.delete(e.id);
    this.host.stats.entitiesRemoved++;
    tx.undo(() => {
      e.removed = false;
      this.host.entities.set(e.id, e);
      this.host.stats.entitiesRemoved--;
    });
  }

  setPriority(tx: Transaction, entity: SbbEntity, priority: number): void {
    tx.assertActive();
    if (!Number.isInteger(priority) || priority < -128 || priority > 127) {
      throw new RangeError(`SBB priority must be an integer in -128..127, got ${priority}`);
    }
    const old = entity.priority;
    entity.priority = priority;
    tx.undo(() => (entity.priority = old));
  }

  /** A tree whose attachment count fell to zero is removed, in a transaction of its own. */
  maybeRemoveTree(root: SbbEntity): void {
    if (root.removed || root.treeAttachmentCount() > 0) return;
    const lock = root.treeLock;
    if (lock.tryAcquire()) this.removeTree(root);
    else void lock.acquire().then(() => this.removeTree(root));
  }

  /** With the tree's lock, which it releases. */
  private removeTree(root: SbbEntity): void {
    try {
      if (root.removed || root.treeAttachmentCount() > 0) return;
      const tx = new Transaction();
      try {
        this.removeEntity(tx, root);
        const result = tx.commit();
        if (result) throw new SleetError(ErrorCode.INTERNAL, 'tree removal does not enlist asynchronous participants');
      } catch (err) {
        tx.rollback();
        this.host.logger.error({ err, entity: root.id }, 'removing an unattached SBB entity tree failed');
      }
    } finally {
      root.treeLock.release();
    }
  }
}
