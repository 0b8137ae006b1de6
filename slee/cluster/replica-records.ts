/**
 * The records a clustered store keeps of replicated container state. They
 * are plain data (CMP and attribute values go through the replica codec),
 * so that any node of the cluster can rebuild the objects from them.
 */

/** One SBB entity of a replicated tree; a tree's entities are listed parents first. */
interface EntityRecord {
  id: string;
  /** The SBB component's key within the service. */
  component: string;
  parent: string | null;
  relation: string | null;
  priority: number;
  convergenceName: string | null;
  /** CMP fields, encoded with the replica codec. */
  cmp: string;
}

/** An SBB entity tree: the unit a node locks, so the unit that is versioned. */
export interface TreeRecord {
  root: string;
  /** The service the tree belongs to, by its key (name, vendor, version). */
  service: string;
  entities: EntityRecord[];
}

/** A tree attached to an activity, and the hash tag its record lives under. */
export interface TreeRef {
  root: string;
  tag: string;
}

/** An activity context: attachments, ACI attributes, masks, names and timers. */
export interface ActivityRecord {
  id: string;
  handle: string;
  owner: string | null;
  /** ACI attributes, encoded with the replica codec. */
  attributes: string;
  /** Entity ids attached to the activity. */
  attached: string[];
  trees: TreeRef[];
  /** Event type keys masked, per attached entity id. */
  masks: Record<string, string[]>;
  names: string[];
  timers: string[];
  /** What the resource adaptor needs to rebuild its activity object on another node (a SIP dialog's snapshot), plain JSON. */
  adaptorState?: unknown;
}

/** A record as the store holds it: its version, bumped by each commit that writes it, and its data (null: none). */
export interface Versioned<T> {
  version: number;
  data: T | null;
}

/** Which record: an activity context or an entity tree, under the hash tag that places it. */
export interface ReplicaKey {
  kind: 'activity' | 'tree';
  /** The activity context id, or the tree's root entity id. */
  id: string;
  /** What the store hashes to place the record: one call's records share it, so they share a Redis Cluster slot. */
  tag: string;
}

/** One record a commit writes (data) or deletes (null), with the version the node last read of it. */
export interface ReplicaWrite extends ReplicaKey {
  expected: number;
  data: ActivityRecord | TreeRecord | null;
}
