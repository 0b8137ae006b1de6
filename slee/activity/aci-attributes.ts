import type { ReadSetTracker } from '../container/read-set-tracker.js';
import { freezeSerialisable } from '../container/cmp-value.js';
import type { Transaction } from '../transaction/transaction.js';
import type { ActivityContext } from './activity-context.js';

const ATTRIBUTE_WRITES = Symbol('sleet:aci-attribute-writes');

/** The attribute writes a transaction has buffered for an activity, which apply when it commits (undefined: deleted). */
export function pendingAttributeWrites(tx: Transaction, ac: ActivityContext): ReadonlyMap<string, unknown> | undefined {
  return (tx.attachment(ATTRIBUTE_WRITES) as Map<ActivityContext, Map<string, unknown>> | undefined)?.get(ac);
}

/** Activity context attributes, read and written within transactions. */
export class AciAttributes {
  constructor(private readonly readSets: ReadSetTracker) {}

  read(tx: Transaction | null, ac: ActivityContext, name: string): unknown {
    if (tx?.active) this.readSets.of(tx).sawActivity(ac);
    const pending = tx?.attachment(ATTRIBUTE_WRITES) as Map<ActivityContext, Map<string, unknown>> | undefined;
    const writes = pending?.get(ac);
    if (writes?.has(name)) return writes.get(name);
    return ac.attributes.get(name);
  }

  /** ACI attribute writes are buffered until commit, so other trees never see uncommitted values. */
  write(tx: Transaction, ac: ActivityContext, name: string, value: unknown): void {
    tx.assertActive();
    const frozen = freezeSerialisable(value, `ACI attribute ${name}`);
    this.readSets.of(tx).sawActivity(ac);
    let pending = tx.attachment(ATTRIBUTE_WRITES) as Map<ActivityContext, Map<string, unknown>> | undefined;
    if (!pending) {
      const buffer = new Map<ActivityContext, Map<string, unknown>>();
      pending = buffer;
      tx.setAttachment(ATTRIBUTE_WRITES, buffer);
      tx.onCommit(() => {
        for (const [context, writes] of buffer) {
          context.version++;
          for (const [k, v] of writes) {
            if (v === undefined) context.attributes.delete(k);
            else context.attributes.set(k, v);
          }
        }
      });
    }
    let writes = pending.get(ac);
    if (!writes) pending.set(ac, (writes = new Map()));
    writes.set(name, frozen);
  }
}
