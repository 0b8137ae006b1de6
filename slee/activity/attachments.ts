import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { EventType } from '../component-model/event-type.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { StateTable } from '../store/state-table.js';
import type { Transaction } from '../transaction/transaction.js';
import type { ActivityContext } from './activity-context.js';
import type { EventMasks } from './event-masks.js';

/** What attaching and detaching needs of the rest of the kernel. */
export interface AttachmentsHost {
  readonly activities: StateTable<string, ActivityContext>;
  /** In a cluster, what replicates activities and the trees attached to them. */
  readonly replication: {
    attached(tx: Transaction, ac: ActivityContext, entity: SbbEntity): void;
    activityChanged(tx: Transaction, ac: ActivityContext): void;
  } | null;
  /** After a commit that detached: the tree goes if nothing is attached to it any more, the null activity if nothing is attached to it. */
  detached(ac: ActivityContext, entity: SbbEntity): void;
}

/**
 * Which SBB entities are attached to which activity contexts, and the event
 * types each masks there. The relation is kept on both sides: the context
 * holds its entities, an entity the ids of its contexts.
 */
export class Attachments {
  constructor(
    private readonly host: AttachmentsHost,
    private readonly masks: EventMasks,
  ) {}

  attach(tx: Transaction, ac: ActivityContext, entity: SbbEntity): void {
    tx.assertActive();
    // Events queued before the end still get normal delivery, initial attach included.
    if (ac.state === 'ended') throw new SleetError(ErrorCode.UNRECOGNIZED_ACTIVITY, `activity ${ac.id} has ended; cannot attach`);
    if (entity.removed) throw new SleetError(ErrorCode.NO_SUCH_ENTITY, `SBB entity ${entity.id} has been removed`);
    if (ac.attached.has(entity)) return;
    ac.attached.add(entity);
    entity.attachments.add(ac.id);
    const masked = entity.component.maskedOnAttach;
    if (masked.length > 0) this.masks.set(tx, ac, entity, new Set(masked));
    tx.undo(() => {
      ac.attached.delete(entity);
      entity.attachments.delete(ac.id);
    });
    this.host.replication?.attached(tx, ac, entity);
  }

  detach(tx: Transaction, ac: ActivityContext, entity: SbbEntity): void {
    tx.assertActive();
    if (!ac.attached.has(entity)) return;
    ac.attached.delete(entity);
    entity.attachments.delete(ac.id);
    const mask = ac.masks?.get(entity);
    if (mask) ac.masks!.delete(entity);
    tx.undo(() => {
      ac.attached.add(entity);
      entity.attachments.add(ac.id);
      if (mask) (ac.masks ??= new Map()).set(entity, mask);
    });
    tx.afterCommit(() => this.host.detached(ac, entity));
    this.host.replication?.activityChanged(tx, ac);
  }

  /** Detaches every entity from an ending activity, outside any transaction; returns the roots of their trees. */
  detachAll(ac: ActivityContext): Set<SbbEntity> {
    const roots = new Set<SbbEntity>();
    for (const entity of ac.attached) {
      entity.attachments.delete(ac.id);
      roots.add(entity.root);
    }
    ac.attached.clear();
    ac.masks = null;
    return roots;
  }

  mask(tx: Transaction, ac: ActivityContext, entity: SbbEntity, eventTypes: Array<EventType | string>): void {
    this.masks.mask(tx, ac, entity, eventTypes);
    this.host.replication?.activityChanged(tx, ac);
  }

  /** The activity contexts an entity is attached to, in attach order. */
  of(entity: SbbEntity): ActivityContext[] {
    const contexts: ActivityContext[] = [];
    for (const id of entity.attachments) {
      const ac = this.host.activities.get(id);
      if (ac) contexts.push(ac);
    }
    return contexts;
  }
}
