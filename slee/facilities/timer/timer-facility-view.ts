import type { ActivityContextInterface } from '../../activity/activity-context-interface.js';
import type { SbbCaller } from '../../entity/sbb-caller.js';
import { TimerFacility } from './timer-facility.js';
import type { TimerOptions } from './timer-options.js';

/** The timer facility as one SBB object uses it: scheduling and cancelling wait for its transaction to commit. */
export class TimerFacilityView extends TimerFacility {
  constructor(private readonly ctx: SbbCaller) {
    super();
  }

  get defaultTimeout(): number {
    return this.ctx.host.timers.defaultTimeout;
  }

  setTimer(aci: ActivityContextInterface, options: TimerOptions = {}): string {
    const tx = this.ctx.requireTx();
    const host = this.ctx.host;
    const ac = host.activityOf(aci);
    const record = host.timers.createRecord(ac, options);
    tx.onCommit(() => {
      if (ac.state === 'active') host.timers.schedule(record, ac);
    });
    return record.id;
  }

  cancelTimer(timerId: string): void {
    const tx = this.ctx.requireTx();
    const host = this.ctx.host;
    // The timer manager reports a backend's asynchronous failure itself.
    tx.onCommit(() => void host.timers.cancel(timerId));
  }
}
