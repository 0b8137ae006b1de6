import type { ChildRelationModel } from '../deployment/sbb-component.js';
import type { Transaction } from '../transaction/transaction.js';
import type { SbbEntity } from './sbb-entity.js';

/** The transactional operations on SBB entities that local objects, child relations and CMP fields call; the kernel provides them. */
export interface EntityOperations {
  writeCmp(tx: Transaction, entity: SbbEntity, field: string, value: unknown): void;
  createChild(tx: Transaction, parent: SbbEntity, relation: ChildRelationModel, priority: number): SbbEntity;
  removeEntity(tx: Transaction, entity: SbbEntity): void;
  setPriority(tx: Transaction, entity: SbbEntity, priority: number): void;
  /** Calls a method of `entity`, which must belong to `caller`'s tree, within the caller's transaction. */
  invokeLocal(tx: Transaction, caller: SbbEntity, entity: SbbEntity, method: string, args: unknown[]): unknown;
}
