import type { Transaction } from '../transaction/transaction.js';
import type { SbbEntity } from './sbb-entity.js';
import type { SbbHost } from './sbb-host.js';

/** The SBB object calling in now, as the views it hands out (ACIs, local objects, child relations, facilities) see it. */
export interface SbbCaller {
  readonly host: SbbHost;
  /** The entity the object serves now; null between calls. */
  readonly entity: SbbEntity | null;
  readonly tx: Transaction | null;
  requireEntity(): SbbEntity;
  requireTx(): Transaction;
}
