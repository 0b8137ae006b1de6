import type { ActivityContextInterface } from './activity-context-interface.js';
import type { ActivityEvent } from './activity-of.js';

/** Gives the ACI of any activity the SLEE knows, e.g. a SIP client transaction an SBB just started. */
export abstract class ActivityContextInterfaceFactory {
  abstract getActivityContextInterface<A extends object>(activity: A): ActivityContextInterface<ActivityEvent<A>>;
}
