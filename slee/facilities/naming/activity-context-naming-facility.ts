import type { ActivityContextInterface } from '../../activity/activity-context-interface.js';

/** Binds names to activity contexts so other SBBs can find them; transactional. */
export abstract class ActivityContextNamingFacility {
  abstract bind(aci: ActivityContextInterface, name: string): void;
  abstract unbind(name: string): void;
  abstract lookup(name: string): ActivityContextInterface | null;
}
