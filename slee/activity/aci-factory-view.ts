import type { SbbContextImpl } from '../entity/sbb-context-impl.js';
import type { ActivityContextInterface } from './activity-context-interface.js';
import { ActivityContextInterfaceFactory } from './activity-context-interface-factory.js';

export class AciFactoryView extends ActivityContextInterfaceFactory {
  constructor(private readonly ctx: SbbContextImpl) {
    super();
  }

  getActivityContextInterface(activity: object): ActivityContextInterface {
    return this.ctx.kernel.aciFor(this.ctx.kernel.activityOf(activity), this.ctx);
  }
}
