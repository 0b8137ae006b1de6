import type { ActivityContextInterface } from '../../activity/activity-context-interface.js';
import type { NullActivity } from '../../activity/null-activity.js';
import { AciView } from '../../activity/aci-view.js';
import type { ActivityEvent } from '../../activity/activity-of.js';
import type { SbbCaller } from '../../entity/sbb-caller.js';
import { NullActivityFactory } from './null-activity-factory.js';

export class NullActivityFactoryView extends NullActivityFactory {
  constructor(private readonly ctx: SbbCaller) {
    super();
  }

  createNullActivity(): NullActivity {
    return this.ctx.host.createNullActivity(this.ctx.requireTx()).activity;
  }

  getActivityContextInterface(activity: NullActivity): ActivityContextInterface<ActivityEvent<NullActivity>> {
    return new AciView<ActivityEvent<NullActivity>>(this.ctx.host.activityOf(activity), this.ctx);
  }
}
