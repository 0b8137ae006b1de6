import type { ProfileRecord } from './profile-record.js';

/**
 * A committed change to one profile, from any write path (provisioning,
 * import, SBB). The container turns these into profile-table activity events.
 */
export type ProfileChange =
  | { readonly kind: 'added'; readonly table: string; readonly profileName: string; readonly after: ProfileRecord }
  | { readonly kind: 'updated'; readonly table: string; readonly profileName: string; readonly before: ProfileRecord; readonly after: ProfileRecord }
  | { readonly kind: 'removed'; readonly table: string; readonly profileName: string; readonly before: ProfileRecord };

/** A committed change to a whole table. */
export type ProfileTableChange =
  | { readonly kind: 'tableCreated' | 'tableRemoved' | 'tableUpgraded'; readonly table: string }
  | { readonly kind: 'tableRenamed'; readonly table: string; readonly newName: string };

export type ProfileChangeListener = (change: ProfileChange) => void;
export type ProfileTableChangeListener = (change: ProfileTableChange) => void;
