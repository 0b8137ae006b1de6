import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ReadSetTracker } from '../container/read-set-tracker.js';
import type { StateTable } from '../store/state-table.js';
import type { Transaction } from '../transaction/transaction.js';
import type { ActivityContext } from './activity-context.js';

const NAME_WRITES = Symbol('sleet:name-writes');

/** The name bindings a transaction has buffered, which apply when it commits (null: unbound). */
export function pendingNameWrites(tx: Transaction): ReadonlyMap<string, ActivityContext | null> | undefined {
  return tx.attachment(NAME_WRITES) as Map<string, ActivityContext | null> | undefined;
}

/** The activity context naming facility's bindings, changed at commit. */
export class ActivityNames {
  constructor(
    private readonly names: StateTable<string, ActivityContext>,
    private readonly readSets: ReadSetTracker,
    /** Called after a commit that unbound the activity's name. */
    private readonly unbound: (ac: ActivityContext) => void,
  ) {}

  bind(tx: Transaction, ac: ActivityContext, name: string): void {
    tx.assertActive();
    this.seeName(tx, name);
    const pending = this.pendingNames(tx);
    const current = pending.has(name) ? pending.get(name) : this.names.get(name);
    if (current) throw new SleetError(ErrorCode.NAME_ALREADY_BOUND, `name '${name}' is already bound to activity ${current.id}`);
    if (ac.state !== 'active') throw new SleetError(ErrorCode.ACTIVITY_ENDING, `activity ${ac.id} is ending; cannot bind '${name}'`);
    pending.set(name, ac);
  }

  unbind(tx: Transaction, name: string): void {
    tx.assertActive();
    this.seeName(tx, name);
    const pending = this.pendingNames(tx);
    const current = pending.has(name) ? pending.get(name) : this.names.get(name);
    if (!current) throw new SleetError(ErrorCode.NAME_NOT_BOUND, `name '${name}' is not bound`);
    pending.set(name, null);
  }

  lookup(tx: Transaction | null, name: string): ActivityContext | null {
    if (tx?.active) this.seeName(tx, name);
    const pending = tx?.attachment(NAME_WRITES) as Map<string, ActivityContext | null> | undefined;
    if (pending?.has(name)) return pending.get(name) ?? null;
    return this.names.get(name) ?? null;
  }

  private seeName(tx: Transaction, name: string): void {
    this.readSets.of(tx).sawName(name, this.names.get(name));
  }

  private pendingNames(tx: Transaction): Map<string, ActivityContext | null> {
    let pending = tx.attachment(NAME_WRITES) as Map<string, ActivityContext | null> | undefined;
    if (!pending) {
      const buffer = new Map<string, ActivityContext | null>();
      pending = buffer;
      tx.setAttachment(NAME_WRITES, buffer);
      tx.onCommit(() => {
        for (const [name, ac] of buffer) {
          const previous = this.names.get(name);
          if (ac && ac.state !== 'ended') {
            this.names.set(name, ac);
            ac.names.add(name);
          } else if (!ac && previous) {
            this.names.delete(name);
            previous.names.delete(name);
            tx.afterCommit(() => this.unbound(previous));
          }
        }
      });
    }
    return pending;
  }
}
