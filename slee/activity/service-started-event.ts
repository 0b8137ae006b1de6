import { defineEventType } from '../component-model/event-type.js';
import type { ComponentId } from '../component-model/component-id.js';
import type { ActivityEvent } from './activity-of.js';

/** The activity of an active service (JSLEE ServiceActivity): it ends when the service stops being active. */
export interface ServiceActivity {
  readonly service: ComponentId;
}

/**
 * Fired to a service alone, on its service activity, when it becomes active
 * in a running SLEE (JSLEE ServiceStartedEvent): the place for one-off set-up
 * such as registering HTTP routes. Handle it as an initial event
 * (`@InitialEvent() onServiceStarted(event, aci)`).
 */
export interface ServiceStartedEvent extends ActivityEvent<ServiceActivity> {
  readonly service: ComponentId;
}

export const ServiceStartedEventType = defineEventType<ServiceStartedEvent>('sleet.ServiceStartedEvent', { short: 'ServiceStarted' });
