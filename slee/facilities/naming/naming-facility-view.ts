import type { ActivityContextInterface } from '../../activity/activity-context-interface.js';
import type { SbbContextImpl } from '../../entity/sbb-context-impl.js';
import { ActivityContextNamingFacility } from './activity-context-naming-facility.js';

export class NamingFacilityView extends ActivityContextNamingFacility {
  constructor(private readonly ctx: SbbContextImpl) {
    super();
  }

  bind(aci: ActivityContextInterface, name: string): void {
    const kernel = this.ctx.kernel;
    kernel.bindName(this.ctx.requireTx(), kernel.activityOf(aci), name);
  }

  unbind(name: string): void {
    this.ctx.kernel.unbindName(this.ctx.requireTx(), name);
  }

  lookup(name: string): ActivityContextInterface | null {
    const ac = this.ctx.kernel.lookupName(this.ctx.tx, name);
    return ac && ac.state !== 'ended' ? this.ctx.kernel.aciFor(ac, this.ctx) : null;
  }
}
