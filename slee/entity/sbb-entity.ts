import type { SbbComponent } from '../deployment/sbb-component.js';
import type { ServiceComponent } from '../deployment/service-component.js';
import { TreeLock } from './tree-lock.js';

/**
 * An SBB entity: the state of one instance of an SBB. It holds data only;
 * a pooled SBB object is bound to it while one of its methods runs. Kept
 * small because idle entities are what a busy SLEE holds most of.
 */
export class SbbEntity {
  /** CMP field values, committed or written by the transaction holding the tree's lock. */
  cmp: Record<string, unknown>;
  /**
   * Ids of the activity contexts this entity is attached to, in attach order.
   * Ids rather than the contexts, so that this file need not import
   * activity-context.ts, which imports it.
   */
  readonly attachments = new Set<string>();
  /** Children by child-relation name; created on first child. */
  children: Map<string, Set<SbbEntity>> | null = null;
  removed = false;
  /** Only the root holds the lock for its whole tree. */
  readonly lock: TreeLock | null;
  readonly root: SbbEntity;

  constructor(
    readonly id: string,
    readonly component: SbbComponent,
    readonly service: ServiceComponent,
    readonly parent: SbbEntity | null,
    public priority: number,
    readonly relation: string | null,
    readonly convergenceName: string | null,
    cmpDefaults: Record<string, unknown>,
  ) {
    this.cmp = cmpDefaults;
    this.root = parent ? parent.root : this;
    this.lock = parent ? null : new TreeLock();
  }

  get treeLock(): TreeLock {
    return this.root.lock!;
  }

  /** Every entity of the subtree rooted here, parents before children, in a new array. */
  subtree(): SbbEntity[] {
    const entities: SbbEntity[] = [];
    this.collect(entities);
    return entities;
  }

  /** JSLEE's attachment count of a tree: attachments of all its entities. Asked after every delivery, so it allocates nothing. */
  treeAttachmentCount(): number {
    let count = this.attachments.size;
    if (this.children) for (const set of this.children.values()) for (const child of set) count += child.treeAttachmentCount();
    return count;
  }

  private collect(into: SbbEntity[]): void {
    into.push(this);
    if (this.children) for (const set of this.children.values()) for (const child of set) child.collect(into);
  }

  /**
   * Delivery order key: priorities from the root down. Compared
   * lexicographically, higher first, with a parent ahead of its children.
   */
  priorityPath(): number[] {
    const path = [this.priority];
    for (let e = this.parent; e; e = e.parent) path.unshift(e.priority);
    return path;
  }
}
