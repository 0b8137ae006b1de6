import type { ComponentId } from '../component-model/component-id.js';
import type { EventType } from '../component-model/event-type.js';
import type { ActivityContext } from '../activity/activity-context.js';
import type { ActivityOperations } from '../activity/activity-operations.js';
import type { NullActivity } from '../activity/null-activity.js';
import type { EventTypeRegistry } from '../deployment/event-type-registry.js';
import type { AlarmRegistry } from '../facilities/alarm/alarm-registry.js';
import type { TimerManager } from '../facilities/timer/timer-manager.js';
import type { Transaction } from '../transaction/transaction.js';
import type { EntityOperations } from './entity-operations.js';
import type { SbbEntity } from './sbb-entity.js';

/**
 * What an SBB object's context, and the views it hands out (ACIs, local
 * objects, child relations, facilities), call in the container. The kernel
 * implements it; nothing on the SBB side imports the kernel.
 */
export interface SbbHost extends ActivityOperations, EntityOperations {
  readonly eventTypes: EventTypeRegistry;
  readonly timers: TimerManager;
  readonly alarms: AlarmRegistry;
  /** The activity context behind an ACI or an activity object; refuses unknown and ended ones. */
  activityOf(aciOrActivity: object): ActivityContext;
  /** The activity contexts an entity is attached to, in attach order. */
  attachedActivities(entity: SbbEntity): ActivityContext[];
  fire(ac: ActivityContext, type: EventType, event: unknown, address: string | null, service: ComponentId | null): void;
  createNullActivity(tx: Transaction): { ac: ActivityContext; activity: NullActivity };
  bindName(tx: Transaction, ac: ActivityContext, name: string): void;
  unbindName(tx: Transaction, name: string): void;
  lookupName(tx: Transaction | null, name: string): ActivityContext | null;
}
