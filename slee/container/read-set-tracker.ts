import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ActivityContext } from '../activity/activity-context.js';
import type { StateTable } from '../store/state-table.js';
import type { IsolationLocks } from '../transaction/isolation-locks.js';
import type { Transaction } from '../transaction/transaction.js';
import { ReadSet } from './read-set.js';

const READ_SET = Symbol('sleet:read-set');

function lockedByOther(holder: object | undefined, tx: Transaction): boolean {
  return holder !== undefined && holder !== tx.lockOwner && holder !== tx;
}

/**
 * Keeps each transaction's read set and checks it at commit, so that a
 * transaction that saw ACI attributes or name bindings a concurrent commit
 * changed is rolled back rather than applied over them.
 */
export class ReadSetTracker {
  constructor(
    private readonly names: StateTable<string, ActivityContext>,
    private readonly locks: IsolationLocks,
  ) {}

  /** The transaction's read set, created (with its check at commit) on first use. */
  of(tx: Transaction): ReadSet {
    let set = tx.attachment(READ_SET) as ReadSet | undefined;
    if (!set) {
      const created = new ReadSet();
      set = created;
      tx.setAttachment(READ_SET, created);
      tx.validateAtCommit(
        () => this.validate(tx, created),
        () => this.hold(tx, created),
      );
    }
    return set;
  }

  /**
   * Fails the commit when a concurrent commit changed an ACI's attributes or
   * a name binding this transaction saw, or when a retrying delivery holds
   * its lock: the loser is rolled back and its delivery retried.
   */
  private validate(tx: Transaction, seen: ReadSet): void {
    const locks = this.locks;
    const conflicts: string[] = [];
    if (seen.activities)
      for (const [ac, version] of seen.activities) {
        const key = ReadSet.activityKey(ac);
        if (ac.version !== version || (locks.size > 0 && lockedByOther(locks.holderOf(key), tx))) conflicts.push(key);
      }
    if (seen.names)
      for (const [name, bound] of seen.names) {
        const key = ReadSet.nameKey(name);
        if (this.names.get(name) !== bound || (locks.size > 0 && lockedByOther(locks.holderOf(key), tx))) conflicts.push(key);
      }
    if (conflicts.length > 0) {
      throw new SleetError(ErrorCode.TRANSACTION_CONFLICT, `transaction ${tx.id} conflicts with a concurrent commit on ${conflicts.join(', ')}`, {
        details: { keys: conflicts },
      });
    }
  }

  /**
   * Locks what a validated transaction saw while its durable participants
   * commit, so no other commit changes it before this one applies. Just
   * validated, no other owner holds these keys, so they are taken at once.
   */
  private hold(tx: Transaction, seen: ReadSet): () => void {
    const keys = [...(seen.activities?.keys() ?? [])].map(ReadSet.activityKey);
    for (const name of seen.names?.keys() ?? []) keys.push(ReadSet.nameKey(name));
    const owner = tx.lockOwner ?? tx;
    void this.locks.acquireAll(keys, owner);
    return () => this.locks.releaseAll(keys, owner);
  }
}
