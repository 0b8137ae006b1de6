import { AciView } from './aci-view.js';
import type { SbbCaller } from '../entity/sbb-caller.js';
import type { ActivityContextInterface } from './activity-context-interface.js';
import { ActivityContextInterfaceFactory } from './activity-context-interface-factory.js';
import type { ActivityEvent } from './activity-of.js';

export class AciFactoryView extends ActivityContextInterfaceFactory {
  constructor(private readonly ctx: SbbCaller) {
    super();
  }

  getActivityContextInterface<A extends object>(activity: A): ActivityContextInterface<ActivityEvent<A>> {
    return new AciView<ActivityEvent<A>>(this.ctx.host.activityOf(activity), this.ctx);
  }
}
