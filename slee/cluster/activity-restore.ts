import type { Logger } from 'pino';
import type { ActivityContext } from '../activity/activity-context.js';
import type { ServiceRuntime } from '../container/service-runtime.js';
import type { SbbComponent } from '../deployment/sbb-component.js';
import { SbbEntity } from '../entity/sbb-entity.js';
import type { StateTable } from '../store/state-table.js';
import { decodeValues } from './replica-codec.js';
import type { ActivityRecord, TreeRecord } from './replica-records.js';

/** What rebuilding replicated state needs of the kernel. */
export interface RestoreHost {
  readonly logger: Logger;
  readonly entities: StateTable<string, SbbEntity>;
  readonly names: StateTable<string, ActivityContext>;
  readonly services: ReadonlyMap<string, ServiceRuntime>;
  /** Makes a durable timer set on another node fire on this activity context here. */
  adoptTimer(timerId: string, ac: ActivityContext): void;
}

function componentByKey(component: SbbComponent, key: string): SbbComponent | undefined {
  if (component.key === key) return component;
  for (const relation of component.childRelations) {
    const found = componentByKey(relation.child, key);
    if (found) return found;
  }
  return undefined;
}

/**
 * Rebuilds a tree another node committed, unless this node holds it
 * already. Null when its service is not deployed here: then the activity is
 * taken over without it, and the log says so.
 */
export function restoreTree(host: RestoreHost, record: TreeRecord): SbbEntity | null {
  const held = host.entities.get(record.root);
  if (held && !held.removed) return held;
  const runtime = host.services.get(record.service);
  if (!runtime) {
    host.logger.warn({ service: record.service, entity: record.root }, 'a replicated SBB entity tree belongs to a service not deployed on this node');
    return null;
  }
  const built = new Map<string, SbbEntity>();
  for (const e of record.entities) {
    const component = componentByKey(runtime.model.root, e.component);
    const parent = e.parent === null ? null : built.get(e.parent);
    if (!component || parent === undefined) {
      host.logger.warn({ service: record.service, entity: e.id, component: e.component }, 'a replicated SBB entity does not match the deployed service');
      return null;
    }
    const entity = new SbbEntity(e.id, component, runtime.model, parent, e.priority, e.relation, e.convergenceName, decodeValues(e.cmp));
    if (parent) {
      const children = (parent.children ??= new Map());
      let set = children.get(e.relation!);
      if (!set) children.set(e.relation!, (set = new Set()));
      set.add(entity);
    }
    built.set(e.id, entity);
  }
  for (const entity of built.values()) host.entities.set(entity.id, entity);
  const root = built.get(record.root)!;
  if (root.convergenceName !== null && !runtime.roots.has(root.convergenceName)) runtime.roots.set(root.convergenceName, root);
  return root;
}

/** Gives a freshly started activity context the attributes, attachments, masks, names and timers another node committed. */
export function restoreActivity(host: RestoreHost, ac: ActivityContext, record: ActivityRecord): void {
  for (const [name, value] of Object.entries(decodeValues(record.attributes))) ac.attributes.set(name, value);
  for (const id of record.attached) {
    const entity = host.entities.get(id);
    if (!entity || entity.removed) continue;
    ac.attached.add(entity);
    entity.attachments.add(ac.id);
    const mask = record.masks[id];
    if (mask) (ac.masks ??= new Map()).set(entity, new Set(mask));
  }
  for (const name of record.names) {
    if (host.names.has(name)) continue;
    host.names.set(name, ac);
    ac.names.add(name);
  }
  for (const timerId of record.timers) host.adoptTimer(timerId, ac);
}
