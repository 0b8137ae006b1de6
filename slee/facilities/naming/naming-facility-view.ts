import type { ActivityContextInterface } from '../../activity/activity-context-interface.js';
import { AciView } from '../../activity/aci-view.js';
import type { ActivityEvent } from '../../activity/activity-of.js';
import type { SbbCaller } from '../../entity/sbb-caller.js';
import { ActivityContextNamingFacility } from './activity-context-naming-facility.js';

export class NamingFacilityView extends ActivityContextNamingFacility {
  constructor(private readonly ctx: SbbCaller) {
    super();
  }

  bind(aci: ActivityContextInterface, name: string): void {
    const host = this.ctx.host;
    host.bindName(this.ctx.requireTx(), host.activityOf(aci), name);
  }

  unbind(name: string): void {
    this.ctx.host.unbindName(this.ctx.requireTx(), name);
  }

  lookup<A extends object = object>(name: string): ActivityContextInterface<ActivityEvent<A>> | null {
    const ac = this.ctx.host.lookupName(this.ctx.tx, name);
    return ac && ac.state !== 'ended' ? new AciView<ActivityEvent<A>>(ac, this.ctx) : null;
  }
}
