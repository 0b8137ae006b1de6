import type { ActivityRecord, ReplicaKey, ReplicaWrite, TreeRecord, Versioned } from './replica-records.js';

/** What a commit found: the new version of each record written, or the current state of those whose version moved on. */
export type ReplicaCommitOutcome = { ok: true; versions: number[] } | { ok: false; conflicts: Array<ReplicaKey & Versioned<ActivityRecord | TreeRecord>> };

/** One activity context and the trees attached to it, as another node committed them. */
export interface ReplicatedActivity {
  activity: Versioned<ActivityRecord>;
  trees: Array<{ tag: string } & Versioned<TreeRecord>>;
}

/**
 * The port a clustered SLEE writes its replicated state through (the Redis
 * store implements it outside the core). Each commit is atomic: every write
 * applies, or, when a record's version is not the one the commit expected,
 * none does and the current records come back so the node can retry on them.
 */
export interface StateReplication {
  commit(writes: ReplicaWrite[]): Promise<ReplicaCommitOutcome>;
  /** The activity context with that id and its trees, or null when no node replicated it (or it ended). */
  load(tag: string, activityId: string): Promise<ReplicatedActivity | null>;
  /** Deletes records without a version check: an ended activity, a removed tree. */
  forget(keys: ReplicaKey[]): Promise<void>;
}
