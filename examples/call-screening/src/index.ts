export { CallScreeningSbb } from './call-screening-sbb.js';
export { BlocklistEntryProfile, BLOCKLIST_TABLE, type BlocklistEntry } from './blocklist-entry-profile.js';
export { callerIdentity, type CallerIdentity } from './caller-identity.js';
export { findBlockingEntry } from './find-blocking-entry.js';
