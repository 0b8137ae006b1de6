import type { ActivityContextInterface } from './activity-context-interface.js';

/** Gives the ACI of any activity the SLEE knows, e.g. a SIP client transaction an SBB just started. */
export abstract class ActivityContextInterfaceFactory {
  abstract getActivityContextInterface(activity: object): ActivityContextInterface;
}
