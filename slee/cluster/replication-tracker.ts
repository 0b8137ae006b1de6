import type { Logger } from 'pino';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ActivityContext } from '../activity/activity-context.js';
import type { SbbEntity } from '../entity/sbb-entity.js';
import type { StateTable } from '../store/state-table.js';
import type { Transaction } from '../transaction/transaction.js';
import type { TransactionParticipant } from '../transaction/transaction-participant.js';
import { activityRecord, treeRecord } from './activity-snapshot.js';
import { restoreActivity, restoreTree, type RestoreHost } from './activity-restore.js';
import { decodeValues } from './replica-codec.js';
import type { ActivityRecord, ReplicaKey, ReplicaWrite, TreeRecord, Versioned } from './replica-records.js';
import type { ReplicatedActivity, StateReplication } from './state-replication.js';

const CHANGES = Symbol('sleet:replicated-changes');

interface Changes {
  readonly activities: Set<ActivityContext>;
  readonly trees: Set<SbbEntity>;
}

/** What the tracker needs of the kernel, beyond rebuilding state. */
export interface ReplicationHost extends RestoreHost {
  readonly activities: StateTable<string, ActivityContext>;
}

function versionKey(key: { kind: ReplicaKey['kind']; id: string }): string {
  return `${key.kind}:${key.id}`;
}

/**
 * Which activity contexts and SBB entity trees this node replicates, the
 * version of each it last read or wrote, and each transaction's changes to
 * them. A transaction that changes replicated state enlists a participant
 * that writes the changed records in one atomic, version-checked commit
 * before the in-memory commit; when another node committed first, the
 * transaction rolls back as on any conflict, this node takes the current
 * records, and the delivery retries on them.
 */
export class ReplicationTracker {
  private readonly activityTags = new WeakMap<ActivityContext, string>();
  private readonly treeTags = new WeakMap<SbbEntity, string>();
  private readonly versions = new Map<string, number>();
  private readonly adaptorStates = new WeakMap<ActivityContext, () => unknown>();
  /** First writes of activities just marked: a transaction's commit waits for them, or it would write against version 0 and conflict with itself. */
  private readonly firstWrites = new Set<Promise<unknown>>();

  constructor(
    readonly port: StateReplication,
    private readonly host: ReplicationHost,
    private readonly logger: Logger,
  ) {}

  isReplicated(ac: ActivityContext): boolean {
    return this.activityTags.has(ac);
  }

  /**
   * From now on the activity context and the trees attached to it are
   * replicated (a SIP dialog once its 2xx is committed); this writes them
   * all once. Their records are tagged with the activity's handle.
   * `adaptorState` gives, at each write of the activity's record, what its
   * resource adaptor needs to rebuild the activity object elsewhere.
   */
  async replicate(ac: ActivityContext, adaptorState?: () => unknown): Promise<void> {
    if (adaptorState) this.adaptorStates.set(ac, adaptorState);
    if (ac.state !== 'active' || this.activityTags.has(ac)) return;
    const tag = ac.handle;
    this.activityTags.set(ac, tag);
    const writes: ReplicaWrite[] = [];
    for (const entity of ac.attached) {
      const root = entity.root;
      if (this.treeTags.has(root)) continue;
      this.treeTags.set(root, tag);
      writes.push(this.write({ kind: 'tree', id: root.id, tag }, treeRecord(root)));
    }
    writes.unshift(
      this.write(
        { kind: 'activity', id: ac.id, tag },
        activityRecord(ac, null, (root) => this.treeTags.get(root), this.adaptorStates.get(ac)),
      ),
    );
    // Versions noted before a waiting transaction goes on: it writes against them.
    const first = this.port.commit(writes).then((outcome) => {
      if (outcome.ok) this.committed(writes, outcome.versions);
      return outcome;
    });
    this.firstWrites.add(first);
    const outcome = await first.finally(() => this.firstWrites.delete(first));
    if (!outcome.ok)
      throw new SleetError(ErrorCode.CLUSTER_STORE, `activity ${ac.id} is already replicated by another node`, {
        details: { keys: outcome.conflicts.map(versionKey) },
      });
  }

  /** Rebuilds an activity another node replicated on a context just started here; false when its record is gone. */
  adopt(ac: ActivityContext, loaded: ReplicatedActivity): boolean {
    const record = loaded.activity.data;
    if (!record) return false;
    for (const tree of loaded.trees) {
      if (!tree.data) continue;
      const root = restoreTree(this.host, tree.data);
      if (!root) continue;
      this.treeTags.set(root, tree.tag);
      this.versions.set(versionKey({ kind: 'tree', id: root.id }), tree.version);
    }
    restoreActivity(this.host, ac, record);
    this.activityTags.set(ac, ac.handle);
    this.versions.set(versionKey({ kind: 'activity', id: ac.id }), loaded.activity.version);
    return true;
  }

  activityChanged(tx: Transaction, ac: ActivityContext): void {
    if (this.activityTags.has(ac)) this.changes(tx).activities.add(ac);
  }

  treeChanged(tx: Transaction, entity: SbbEntity): void {
    if (this.treeTags.has(entity.root)) this.changes(tx).trees.add(entity.root);
  }

  /** A tree attached to a replicated activity is replicated with it, under the activity's tag unless it has one. */
  attached(tx: Transaction, ac: ActivityContext, entity: SbbEntity): void {
    const tag = this.activityTags.get(ac);
    if (tag === undefined) return;
    const root = entity.root;
    if (!this.treeTags.has(root)) {
      this.treeTags.set(root, tag);
      tx.undo(() => this.treeTags.delete(root));
    }
    const changes = this.changes(tx);
    changes.activities.add(ac);
    changes.trees.add(root);
  }

  /** A removed root's record goes once the removal commits; a removed child changes its tree. */
  entityRemoved(tx: Transaction, entity: SbbEntity): void {
    const tag = this.treeTags.get(entity.root);
    if (tag === undefined) return;
    if (entity.parent) {
      this.treeChanged(tx, entity);
      return;
    }
    tx.afterCommit(() => {
      this.treeTags.delete(entity);
      this.forget({ kind: 'tree', id: entity.id, tag });
    });
  }

  activityEnded(ac: ActivityContext): void {
    const tag = this.activityTags.get(ac);
    if (tag === undefined) return;
    this.activityTags.delete(ac);
    this.forget({ kind: 'activity', id: ac.id, tag });
  }

  private forget(key: ReplicaKey): void {
    this.versions.delete(versionKey(key));
    this.port.forget([key]).catch((err: unknown) => this.logger.error({ err, key }, 'deleting a replicated record failed'));
  }

  private changes(tx: Transaction): Changes {
    let changes = tx.attachment(CHANGES) as Changes | undefined;
    if (!changes) {
      const created: Changes = { activities: new Set(), trees: new Set() };
      changes = created;
      tx.setAttachment(CHANGES, created);
      tx.enlist(this.participant(tx, created));
    }
    return changes;
  }

  private participant(tx: Transaction, changes: Changes): TransactionParticipant {
    let conflicts: Array<ReplicaKey & Versioned<ActivityRecord | TreeRecord>> | null = null;
    return {
      commitDurably: async () => {
        if (this.firstWrites.size > 0) await Promise.allSettled([...this.firstWrites]);
        const writes = this.writesOf(tx, changes);
        if (writes.length === 0) return;
        const outcome = await this.port.commit(writes);
        if (outcome.ok) {
          this.committed(writes, outcome.versions);
          return;
        }
        conflicts = outcome.conflicts;
        const keys = conflicts.map((c) => (c.kind === 'activity' ? `aci:${c.id}` : `tree:${c.id}`));
        throw new SleetError(ErrorCode.TRANSACTION_CONFLICT, `transaction ${tx.id} conflicts with another node's commit on ${keys.join(', ')}`, {
          details: { keys },
        });
      },
      commit: () => undefined,
      // After the undo log: what the other node committed replaces this node's copy, for the retry to read.
      rollback: () => {
        if (conflicts) this.refresh(conflicts);
      },
    };
  }

  private writesOf(tx: Transaction, changes: Changes): ReplicaWrite[] {
    const writes: ReplicaWrite[] = [];
    for (const ac of changes.activities) {
      const tag = this.activityTags.get(ac);
      if (tag === undefined || ac.state === 'ended') continue;
      writes.push(
        this.write(
          { kind: 'activity', id: ac.id, tag },
          activityRecord(ac, tx, (root) => this.treeTags.get(root), this.adaptorStates.get(ac)),
        ),
      );
    }
    for (const root of changes.trees) {
      const tag = this.treeTags.get(root);
      if (tag === undefined || root.removed) continue;
      writes.push(this.write({ kind: 'tree', id: root.id, tag }, treeRecord(root)));
    }
    return writes;
  }

  private write(key: ReplicaKey, data: ActivityRecord | TreeRecord): ReplicaWrite {
    return { ...key, expected: this.versions.get(versionKey(key)) ?? 0, data };
  }

  private committed(writes: ReplicaWrite[], versions: number[]): void {
    writes.forEach((w, i) => this.versions.set(versionKey(w), versions[i]!));
  }

  private refresh(conflicts: Array<ReplicaKey & Versioned<ActivityRecord | TreeRecord>>): void {
    for (const c of conflicts) {
      this.versions.set(versionKey(c), c.version);
      if (!c.data) continue;
      if (c.kind === 'activity') {
        const ac = this.host.activities.get(c.id);
        if (!ac) continue;
        ac.attributes.clear();
        for (const [name, value] of Object.entries(decodeValues((c.data as ActivityRecord).attributes))) ac.attributes.set(name, value);
        ac.version++;
      } else {
        for (const e of (c.data as TreeRecord).entities) {
          const entity = this.host.entities.get(e.id);
          if (!entity || entity.removed) continue;
          entity.cmp = decodeValues(e.cmp);
          entity.priority = e.priority;
        }
      }
    }
  }
}
