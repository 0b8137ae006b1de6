import type { EventType } from './event-type.js';

/** JSLEE's initial-event-select variables, which make up a convergence name. */
export type InitialEventSelectVariable = 'ActivityContext' | 'Address' | 'AddressProfile' | 'EventType' | 'Event';

/**
 * What a custom initial-event selector method sees and may change. Returning
 * with `initialEvent` false makes the event not initial for this service.
 */
export interface InitialEventSelector {
  readonly event: unknown;
  readonly eventType: EventType;
  readonly activity: unknown;
  address: string | null;
  customName: string | null;
  initialEvent: boolean;
  selected: Set<InitialEventSelectVariable>;
}
