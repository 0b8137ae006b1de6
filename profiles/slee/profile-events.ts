import { defineEventType } from '../../slee/component-model/event-type.js';
import type { ProfileRecord } from '../storage/profile-record.js';

/** The activity of a profile table: profile added, updated and removed events arrive on it. */
export interface ProfileTableActivity {
  readonly tableName: string;
}

export interface ProfileAddedEvent {
  readonly table: string;
  readonly profileName: string;
  readonly profile: ProfileRecord;
}

export interface ProfileUpdatedEvent {
  readonly table: string;
  readonly profileName: string;
  readonly before: ProfileRecord;
  readonly after: ProfileRecord;
}

export interface ProfileRemovedEvent {
  readonly table: string;
  readonly profileName: string;
  readonly profile: ProfileRecord;
}

export const ProfileAddedEventType = defineEventType<ProfileAddedEvent>('sleet.profiles.ProfileAddedEvent', { short: 'ProfileAdded' });
export const ProfileUpdatedEventType = defineEventType<ProfileUpdatedEvent>('sleet.profiles.ProfileUpdatedEvent', { short: 'ProfileUpdated' });
export const ProfileRemovedEventType = defineEventType<ProfileRemovedEvent>('sleet.profiles.ProfileRemovedEvent', { short: 'ProfileRemoved' });
