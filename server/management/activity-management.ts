import type { Slee } from '../../slee/container/slee.js';
import type { ActivityContext } from '../../slee/activity/activity-context.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ActivityInfo } from './api/schemas.js';

/** JSLEE's ActivityManagementMBean: the live activities, and ending one by hand. */
export class ActivityManagement {
  constructor(private readonly slee: Slee) {}

  list(): ActivityInfo[] {
    return [...this.slee.kernel.activities.values()].map(describe);
  }

  /** One activity in full: its summary, and the SBB entities and timers on it. */
  get(id: string): ActivityInfo {
    const ac = this.context(id);
    return { ...describe(ac), entities: [...ac.attached].map((e) => e.id), timerIds: [...ac.timers] };
  }

  /** Starts ending the activity: its end event is delivered after the events already queued on it. */
  end(id: string): ActivityInfo {
    const ac = this.context(id);
    this.slee.kernel.endActivity(ac);
    return describe(ac);
  }

  private context(id: string): ActivityContext {
    const ac = this.slee.kernel.activities.get(id);
    if (!ac) throw new SleetError(ErrorCode.UNRECOGNIZED_ACTIVITY, `no live activity '${id}'`);
    return ac;
  }
}

function describe(ac: ActivityContext): ActivityInfo {
  return {
    id: ac.id,
    handle: ac.handle,
    owner: ac.owner,
    state: ac.state,
    attachedEntities: ac.attached.size,
    names: [...ac.names],
    timers: ac.timers.size,
    queuedEvents: ac.queue.length,
  };
}
