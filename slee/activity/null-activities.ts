import type { EventType } from '../component-model/event-type.js';
import type { Transaction } from '../transaction/transaction.js';
import type { ActivityContext } from './activity-context.js';
import type { ActivityLifecycle } from './activity-lifecycle.js';
import type { NullActivity } from './null-activity.js';

const NULL_ACTIVITY_OWNER = 'slee:null-activity';

/** Null activities: made by SBBs, or by the SLEE for events that have no activity left. */
export class NullActivities {
  constructor(private readonly lifecycle: ActivityLifecycle) {}

  create(tx: Transaction): { ac: ActivityContext; activity: NullActivity } {
    const handle = `null-${this.lifecycle.handleNumber()}`;
    const activity: NullActivity = {
      id: handle,
      endActivity: () => {
        const current = this.lifecycle.byHandle(NULL_ACTIVITY_OWNER, handle);
        if (!current) return;
        if (tx.active) tx.onCommit(() => this.lifecycle.end(current));
        else this.lifecycle.end(current);
      },
    };
    const ac = this.lifecycle.start(NULL_ACTIVITY_OWNER, handle, activity);
    tx.undo(() => this.lifecycle.discard(ac));
    tx.afterCommit(() => this.maybeEnd(ac));
    return { ac, activity };
  }

  /**
   * Fires an event the SLEE itself raises (a durable timer whose activity
   * context did not survive a restart) on a null activity of its own, which
   * ends once the event is processed if nothing attached to it.
   */
  fireOnNew(type: EventType, event: unknown, address: string | null): void {
    const handle = `null-${this.lifecycle.handleNumber()}`;
    const activity: NullActivity = {
      id: handle,
      endActivity: () => {
        const current = this.lifecycle.byHandle(NULL_ACTIVITY_OWNER, handle);
        if (current) this.lifecycle.end(current);
      },
    };
    const ac = this.lifecycle.start(NULL_ACTIVITY_OWNER, handle, activity);
    this.lifecycle.fire(ac, type, event, address, null, () => this.maybeEnd(ac));
  }

  /** JSLEE ends a null activity once nothing is attached to it and no name is bound to it. */
  maybeEnd(ac: ActivityContext): void {
    if (ac.owner === NULL_ACTIVITY_OWNER && ac.state === 'active' && ac.attached.size === 0 && ac.names.size === 0) {
      this.lifecycle.end(ac);
    }
  }
}
