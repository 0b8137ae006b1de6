import type { ActivityContext } from '../activity/activity-context.js';
import { pendingAttributeWrites } from '../activity/aci-attributes.js';
import { pendingNameWrites } from '../activity/activity-names.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { Transaction } from '../transaction/transaction.js';
import { encodeValues } from './replica-codec.js';
import type { ActivityRecord, TreeRecord, TreeRef } from './replica-records.js';

/**
 * The activity as the transaction will leave it: a durable participant
 * commits before the in-memory commit applies the buffered attribute
 * writes and name bindings, so they are merged in here.
 */
export function activityRecord(
  ac: ActivityContext,
  tx: Transaction | null,
  treeTag: (root: SbbEntity) => string | undefined,
  adaptorState?: () => unknown,
): ActivityRecord {
  const attributes: Record<string, unknown> = Object.fromEntries(ac.attributes);
  const writes = tx ? pendingAttributeWrites(tx, ac) : undefined;
  if (writes) {
    for (const [name, value] of writes) {
      if (value === undefined) delete attributes[name];
      else attributes[name] = value;
    }
  }
  const names = new Set(ac.names);
  const bindings = tx ? pendingNameWrites(tx) : undefined;
  if (bindings) {
    for (const [name, bound] of bindings) {
      if (bound === ac) names.add(name);
      else names.delete(name);
    }
  }
  const trees = new Map<string, TreeRef>();
  const masks: Record<string, string[]> = {};
  for (const entity of ac.attached) {
    const tag = treeTag(entity.root);
    if (tag !== undefined) trees.set(entity.root.id, { root: entity.root.id, tag });
    const mask = ac.masks?.get(entity);
    if (mask && mask.size > 0) masks[entity.id] = [...mask];
  }
  return {
    id: ac.id,
    handle: ac.handle,
    owner: ac.owner,
    attributes: encodeValues(attributes),
    attached: [...ac.attached].map((e) => e.id),
    trees: [...trees.values()],
    masks,
    names: [...names],
    timers: [...ac.timers],
    ...(adaptorState ? { adaptorState: adaptorState() } : {}),
  };
}

/** A tree's entities, parents before children. */
export function treeRecord(root: SbbEntity): TreeRecord {
  return {
    root: root.id,
    service: root.service.key,
    entities: root.subtree().map((e) => ({
      id: e.id,
      component: e.component.key,
      parent: e.parent?.id ?? null,
      relation: e.relation,
      priority: e.priority,
      convergenceName: e.convergenceName,
      cmp: encodeValues(e.cmp),
    })),
  };
}
