import type { EventType } from '../component-model/event-type.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { Transaction } from '../transaction/transaction.js';
import type { ActivityContext } from './activity-context.js';

/** The transactional operations on an activity context that an SBB's ACI view calls; the kernel provides them. */
export interface ActivityOperations {
  attach(tx: Transaction, ac: ActivityContext, entity: SbbEntity): void;
  detach(tx: Transaction, ac: ActivityContext, entity: SbbEntity): void;
  mask(tx: Transaction, ac: ActivityContext, entity: SbbEntity, eventTypes: Array<EventType | string>): void;
  readAttribute(tx: Transaction | null, ac: ActivityContext, name: string): unknown;
  writeAttribute(tx: Transaction, ac: ActivityContext, name: string, value: unknown): void;
}
