import type { ActivityContextInterface } from '../../activity/activity-context-interface.js';
import type { ActivityEvent } from '../../activity/activity-of.js';

/** Binds names to activity contexts so other SBBs can find them; transactional. */
export abstract class ActivityContextNamingFacility {
  abstract bind(aci: ActivityContextInterface, name: string): void;
  abstract unbind(name: string): void;
  /** `A` is the type of the activity the caller bound under that name (`lookup<B2buaActivity>('calls/42')`). */
  abstract lookup<A extends object = object>(name: string): ActivityContextInterface<ActivityEvent<A>> | null;
}
