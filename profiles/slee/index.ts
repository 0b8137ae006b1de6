export { profileFacilityBinding, PROFILE_COMMIT_FAILED_ALARM } from './profile-facility-binding.js';
export { profileAddressResolver } from './profile-address-resolver.js';
export { profileSpecSupport } from './profile-spec-support.js';
export { connectProfileEvents, PROFILE_TABLE_OWNER } from './connect-profile-events.js';
export {
  ProfileAddedEventType,
  ProfileUpdatedEventType,
  ProfileRemovedEventType,
  type ProfileAddedEvent,
  type ProfileUpdatedEvent,
  type ProfileRemovedEvent,
  type ProfileTableActivity,
} from './profile-events.js';
