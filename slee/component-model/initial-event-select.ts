import type { EventType } from './event-type.js';
import type { ActivityOf } from '../activity/activity-of.js';

/** JSLEE's initial-event-select variables, which make up a convergence name. */
export type InitialEventSelectVariable = 'ActivityContext' | 'Address' | 'AddressProfile' | 'EventType' | 'Event';

/**
 * What a custom initial-event selector method sees and may change. Returning
 * with `initialEvent` false makes the event not initial for this service.
 * `E` is the event type the selector is for (`InitialEventSelector<HttpRequestEvent>`).
 */
export interface InitialEventSelector<E = unknown> {
  readonly event: E;
  readonly eventType: EventType;
  readonly activity: ActivityOf<E>;
  address: string | null;
  customName: string | null;
  initialEvent: boolean;
  selected: Set<InitialEventSelectVariable>;
}
