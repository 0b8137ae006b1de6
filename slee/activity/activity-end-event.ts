import { defineEventType } from '../component-model/event-type.js';

/** Delivered to every SBB attached to an activity when it ends (`onActivityEnd`); cannot be masked. */
export interface ActivityEndEvent {
  readonly activityContextId: string;
}

export const ActivityEndEventType = defineEventType<ActivityEndEvent>('sleet.ActivityEndEvent', { short: 'ActivityEnd' });
