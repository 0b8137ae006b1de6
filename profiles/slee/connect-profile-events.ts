import type { Slee } from '../../slee/container/slee.js';
import type { ActivityContext } from '../../slee/activity/activity-context.js';
import type { ProfileStore } from '../storage/profile-store.js';
import { ProfileAddedEventType, ProfileRemovedEventType, ProfileUpdatedEventType, type ProfileTableActivity } from './profile-events.js';

export const PROFILE_TABLE_OWNER = 'slee:profile-table';

/**
 * Turns profile writes, from any path (provisioning, imports, SBBs), into
 * SLEE events on the table's activity, which starts with the first change
 * and ends when the table is removed. Returns a function that disconnects.
 */
export function connectProfileEvents(slee: Slee, store: ProfileStore): () => void {
  for (const type of [ProfileAddedEventType, ProfileUpdatedEventType, ProfileRemovedEventType]) slee.registerEventType(type);
  const kernel = slee.kernel;
  const activityFor = (table: string): ActivityContext => {
    const existing = kernel.activityByHandle(PROFILE_TABLE_OWNER, table);
    if (existing && existing.state === 'active') return existing;
    const activity: ProfileTableActivity = { tableName: table };
    return kernel.startActivity(PROFILE_TABLE_OWNER, table, activity);
  };
  const offChange = store.onChange((change) => {
    if (slee.state !== 'RUNNING') return;
    const ac = activityFor(change.table);
    if (change.kind === 'added') {
      kernel.fire(ac, ProfileAddedEventType, { table: change.table, profileName: change.profileName, profile: change.after }, null, null);
    } else if (change.kind === 'updated') {
      kernel.fire(
        ac,
        ProfileUpdatedEventType,
        { table: change.table, profileName: change.profileName, before: change.before, after: change.after },
        null,
        null,
      );
    } else {
      kernel.fire(ac, ProfileRemovedEventType, { table: change.table, profileName: change.profileName, profile: change.before }, null, null);
    }
  });
  const offTable = store.onTableChange((change) => {
    if (change.kind !== 'tableRemoved' && change.kind !== 'tableRenamed') return;
    const ac = kernel.activityByHandle(PROFILE_TABLE_OWNER, change.table);
    if (ac) kernel.endActivity(ac);
  });
  return () => {
    offChange();
    offTable();
  };
}
