import type { ActivityContextInterface } from '../../activity/activity-context-interface.js';
import type { NullActivity } from '../../activity/null-activity.js';
import type { ActivityEvent } from '../../activity/activity-of.js';

/** Creates null activities and gives their ACIs (JSLEE NullActivityFactory and its ACI factory in one). */
export abstract class NullActivityFactory {
  abstract createNullActivity(): NullActivity;
  abstract getActivityContextInterface(activity: NullActivity): ActivityContextInterface<ActivityEvent<NullActivity>>;
}
