import type { ActivityContextInterface } from '../../activity/activity-context-interface.js';
import type { SbbContextImpl } from '../../entity/sbb-context-impl.js';
import { TimerFacility } from './timer-facility.js';
import type { TimerOptions } from './timer-options.js';

/** The timer facility as one SBB object uses it: scheduling and cancelling wait for its transaction to commit. */
export class TimerFacilityView extends TimerFacility {
  constructor(private readonly ctx: SbbContextImpl) {
    super();
  }

  get defaultTimeout(): number {
    return this.ctx.kernel.timers.defaultTimeout;
  }

  setTimer(aci: ActivityContextInterface, options: TimerOptions = {}): string {
    const tx = this.ctx.requireTx();
    const kernel = this.ctx.kernel;
    const ac = kernel.activityOf(aci);
    const record = kernel.timers.createRecord(ac, options);
    tx.onCommit(() => {
      if (ac.state === 'active') kernel.timers.schedule(record, ac);
    });
    return record.id;
  }

  cancelTimer(timerId: string): void {
    const tx = this.ctx.requireTx();
    const kernel = this.ctx.kernel;
    tx.onCommit(() => kernel.timers.cancel(timerId));
  }
}
