import type { ActivityContextInterface } from '../../activity/activity-context-interface.js';
import type { NullActivity } from '../../activity/null-activity.js';
import type { SbbContextImpl } from '../../entity/sbb-context-impl.js';
import { NullActivityFactory } from './null-activity-factory.js';

export class NullActivityFactoryView extends NullActivityFactory {
  constructor(private readonly ctx: SbbContextImpl) {
    super();
  }

  createNullActivity(): NullActivity {
    return this.ctx.kernel.createNullActivity(this.ctx.requireTx()).activity;
  }

  getActivityContextInterface(activity: NullActivity): ActivityContextInterface {
    return this.ctx.kernel.aciFor(this.ctx.kernel.activityOf(activity), this.ctx);
  }
}
