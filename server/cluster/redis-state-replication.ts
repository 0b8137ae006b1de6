import type { Redis, Cluster } from 'ioredis';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ActivityRecord, ReplicaKey, ReplicaWrite, TreeRecord, Versioned } from '../../slee/cluster/replica-records.js';
import type { ReplicaCommitOutcome, ReplicatedActivity, StateReplication } from '../../slee/cluster/state-replication.js';
import { COMMIT_SCRIPT } from './commit-script.js';
import { connectRedis, type RedisTarget } from '../../slee/cluster/redis-connection.js';

export interface RedisStateReplicationOptions {
  /** `redis://host:port`, or several seed nodes of a Redis Cluster. */
  redisUrl: RedisTarget;
  /** The cluster's name: every key starts with `sleet:<cluster>:`. */
  cluster: string;
  /**
   * Whether a commit checks the versions it read (optimistic concurrency).
   * Only a test turns it off, to show the updates that are lost without it.
   */
  checkVersions?: boolean;
  /** How long a record outlives its last commit, so a crashed cluster's state does not stay forever; 24 h by default. */
  ttlMs?: number;
}

/** What the store has cost so far: commits, conflicts, Redis commands and bytes sent. */
export interface ReplicationCounters {
  commits: number;
  conflicts: number;
  commands: number;
  bytesWritten: number;
}

type Commit = (numKeys: number, ...args: string[]) => Promise<[0 | 1, Array<number | string>]>;

/**
 * The cluster's SLEE state in Redis. A record is a hash under
 * `sleet:<cluster>:{<tag>}:<kind>:<id>`; the tag (the activity's handle, a
 * SIP dialog's Call-ID) puts one call's records in one Redis Cluster slot, so
 * that its commit is one Lua script there too.
 */
export class RedisStateReplication implements StateReplication {
  readonly redis: Redis | Cluster;
  readonly counters: ReplicationCounters = { commits: 0, conflicts: 0, commands: 0, bytesWritten: 0 };
  private readonly prefix: string;
  private readonly checkVersions: boolean;
  private readonly ttlMs: number;

  constructor(options: RedisStateReplicationOptions) {
    this.redis = connectRedis(options.redisUrl, { maxRetriesPerRequest: 2 });
    this.redis.defineCommand('sleetCommit', { lua: COMMIT_SCRIPT });
    this.prefix = `sleet:${options.cluster}:`;
    this.checkVersions = options.checkVersions ?? true;
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
  }

  /** Where a record lives; braces in a tag would change the slot, so they are replaced. */
  keyOf(key: ReplicaKey): string {
    return `${this.prefix}{${key.tag.replace(/[{}]/g, '_')}}:${key.kind}:${key.id}`;
  }

  async commit(writes: ReplicaWrite[]): Promise<ReplicaCommitOutcome> {
    const args: string[] = [this.checkVersions ? '1' : '0', String(this.ttlMs)];
    for (const w of writes) args.push(String(w.expected), w.data ? JSON.stringify(w.data) : '');
    const keys = writes.map((w) => this.keyOf(w));
    this.counters.commands++;
    for (const part of [...keys, ...args]) this.counters.bytesWritten += Buffer.byteLength(part);
    const [applied, rows] = await this.store((this.redis as unknown as { sleetCommit: Commit }).sleetCommit(keys.length, ...keys, ...args));
    if (applied === 1) {
      this.counters.commits++;
      return { ok: true, versions: rows.map(Number) };
    }
    this.counters.conflicts++;
    const conflicts: Array<ReplicaKey & Versioned<ActivityRecord | TreeRecord>> = [];
    for (let i = 0; i < rows.length; i += 3) {
      const write = writes[Number(rows[i]) - 1]!;
      const data = String(rows[i + 2]);
      conflicts.push({ kind: write.kind, id: write.id, tag: write.tag, version: Number(rows[i + 1]), data: data ? this.parse(data) : null });
    }
    return { ok: false, conflicts };
  }

  async load(tag: string, activityId: string): Promise<ReplicatedActivity | null> {
    const activity = await this.read<ActivityRecord>({ kind: 'activity', id: activityId, tag });
    if (!activity.data) return null;
    const trees = await Promise.all(
      activity.data.trees.map(async (ref) => ({ tag: ref.tag, ...(await this.read<TreeRecord>({ kind: 'tree', id: ref.root, tag: ref.tag })) })),
    );
    return { activity, trees };
  }

  async forget(keys: ReplicaKey[]): Promise<void> {
    this.counters.commands += keys.length;
    await this.store(Promise.all(keys.map((k) => this.redis.del(this.keyOf(k)))));
  }

  close(): Promise<void> {
    return this.redis.quit().then(
      () => undefined,
      () => this.redis.disconnect(),
    );
  }

  private async read<T>(key: ReplicaKey): Promise<Versioned<T>> {
    this.counters.commands++;
    const [version, data] = await this.store(this.redis.hmget(this.keyOf(key), 'v', 'd'));
    return { version: Number(version ?? 0), data: data ? this.parse<T>(data) : null };
  }

  private parse<T>(text: string): T {
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new SleetError(ErrorCode.CLUSTER_STORE, `a replicated record is not valid JSON: ${(cause as Error).message}`, { cause });
    }
  }

  /** Redis errors become the cluster store's error, so the transaction that met one rolls back with a clear code. */
  private async store<T>(pending: Promise<T>): Promise<T> {
    try {
      return await pending;
    } catch (cause) {
      if (SleetError.is(cause)) throw cause;
      throw new SleetError(ErrorCode.CLUSTER_STORE, `the cluster store failed: ${(cause as Error).message}`, { cause });
    }
  }
}
