import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { EventType } from '../component-model/event-type.js';
import type { EventTypeRegistry } from '../deployment/event-type-registry.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { Transaction } from '../transaction/transaction.js';
import type { ActivityContext } from './activity-context.js';
import { ActivityEndEventType } from './activity-end-event.js';

/** The event types each attached entity masks on an activity context. */
export class EventMasks {
  constructor(private readonly eventTypes: EventTypeRegistry) {}

  mask(tx: Transaction, ac: ActivityContext, entity: SbbEntity, eventTypes: Array<EventType | string>): void {
    tx.assertActive();
    if (!ac.attached.has(entity)) {
      throw new SleetError(ErrorCode.UNRECOGNIZED_ACTIVITY, `SBB entity ${entity.id} is not attached to ${ac.id}; attach before masking`);
    }
    const keys = new Set<string>();
    for (const t of eventTypes) {
      if (typeof t !== 'string') keys.add(t.key);
      else {
        const candidates = this.eventTypes.byShortName(t);
        if (candidates.length !== 1) throw new SleetError(ErrorCode.UNKNOWN_EVENT_TYPE, `cannot mask '${t}': not exactly one event type has that short name`);
        keys.add(candidates[0]!.key);
      }
    }
    if (keys.has(ActivityEndEventType.key)) {
      throw new SleetError(ErrorCode.UNKNOWN_EVENT_TYPE, 'the activity end event cannot be masked');
    }
    this.set(tx, ac, entity, keys);
  }

  set(tx: Transaction, ac: ActivityContext, entity: SbbEntity, keys: Set<string>): void {
    const masks = (ac.masks ??= new Map());
    const previous = masks.get(entity);
    if (keys.size === 0) masks.delete(entity);
    else masks.set(entity, keys);
    tx.undo(() => {
      if (previous) masks.set(entity, previous);
      else masks.delete(entity);
    });
  }
}
