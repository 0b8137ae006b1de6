import { createHash, randomUUID } from 'node:crypto';
import type { Redis, Cluster } from 'ioredis';
import type { Logger } from 'pino';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { ComponentId } from '../../slee/component-model/component-id.js';
import type { DeploymentLog, DeploymentOperation } from '../management/deployment-log.js';

/** A log entry: the operation, with an install's bundle named by its hash, and the node process that performed it. */
type Entry = (Exclude<DeploymentOperation, { kind: 'install' }> | { kind: 'install'; unit: string; sha256: string }) & {
  origin: string;
  node: string;
  at: number;
};

/** What a node reports of the cluster's deployment log: how far it has applied it, and its last failure. */
export interface DeploymentProgress {
  revision: number;
  error?: string;
}

export interface ClusterDeploymentOptions {
  redis: Redis | Cluster;
  cluster: string;
  nodeId: string;
  logger: Logger;
  /** How often the log is read besides on each published change (a change published while the subscriber reconnected is not lost); 5 s by default. */
  pollMs?: number;
}

function idText(id: ComponentId): string {
  return `${id.name}:${id.vendor}:${id.version}`;
}

function describe(entry: Entry): string {
  if (entry.kind === 'install' || entry.kind === 'uninstall') return `${entry.kind} ${entry.unit}`;
  if (entry.kind === 'upgrade') return `upgrade ${idText(entry.from)} to ${idText(entry.to)}`;
  return `${entry.kind} ${idText(entry.service)}`;
}

/**
 * The cluster's deployment, as an ordered log in Redis that every node
 * applies: a node that installs, activates, deactivates, upgrades or
 * uninstalls appends the operation (a bundle's bytes stored once, under
 * their SHA-256) and publishes the new length; the others read what they
 * have not applied yet and apply it to their own DeploymentManager and SLEE.
 * A node skips the entries its own process appended (it has applied them
 * already), and applying never appends, so nothing loops. A node that
 * starts applies the whole log before it opens its SIP listeners.
 */
export class ClusterDeployment implements DeploymentLog {
  /** Entries of the log applied (or skipped as this process's own). */
  private revision = 0;
  private lastError: string | undefined;
  /** This process: a restarted node applies again what it appended before. */
  private readonly origin = randomUUID();
  private readonly logKey: string;
  private readonly channel: string;
  private subscriber: Redis | Cluster | null = null;
  private timer: NodeJS.Timeout | null = null;
  private applying: Promise<void> = Promise.resolve();
  private apply: ((operation: DeploymentOperation, signal: AbortSignal) => Promise<void>) | null = null;
  /** Aborted at stop: an entry being applied (an uninstall waiting for a drain) gives up. */
  private readonly stopping = new AbortController();
  private onFailure: (message: string, err: unknown) => void = () => undefined;

  constructor(private readonly options: ClusterDeploymentOptions) {
    this.logKey = `sleet:${options.cluster}:deployment:log`;
    this.channel = `sleet:${options.cluster}:deployment`;
  }

  progress(): DeploymentProgress {
    return { revision: this.revision, ...(this.lastError !== undefined ? { error: this.lastError } : {}) };
  }

  async record(operation: DeploymentOperation): Promise<void> {
    const { redis } = this.options;
    const base = { origin: this.origin, node: this.options.nodeId, at: Date.now() };
    let entry: Entry;
    try {
      if (operation.kind === 'install') {
        const sha256 = createHash('sha256').update(operation.bundle).digest('hex');
        await redis.set(this.bundleKey(sha256), operation.bundle, 'NX');
        entry = { kind: 'install', unit: operation.unit, sha256, ...base };
      } else entry = { ...operation, ...base };
      const length = await redis.rpush(this.logKey, JSON.stringify(entry));
      await redis.publish(this.channel, String(length));
    } catch (cause) {
      throw new SleetError(
        ErrorCode.CLUSTER_STORE,
        `done on this node, but not recorded for the cluster (the other nodes will not apply it): ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  /**
   * Applies the log so far, then follows it. Resolves once the log as of now
   * is applied; a failure to apply an entry is reported to `onFailure` and
   * the node goes on with the next.
   */
  async follow(
    apply: (operation: DeploymentOperation, signal: AbortSignal) => Promise<void>,
    onFailure: (message: string, err: unknown) => void,
  ): Promise<void> {
    this.apply = apply;
    this.onFailure = onFailure;
    // Subscribed before the first read, so that no change falls between the two.
    const subscriber = this.options.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('message', () => this.wake());
    subscriber.on('error', (err: unknown) => this.options.logger.warn({ err }, 'the cluster deployment subscriber failed'));
    await subscriber.subscribe(this.channel);
    // A node that cannot read the log does not start: it would run other services than its peers.
    const first = this.catchUp();
    this.applying = first.catch(() => undefined);
    await first;
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 5000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.subscriber?.disconnect();
    this.subscriber = null;
    await this.applying;
  }

  private wake(): void {
    this.applying = this.applying
      .then(() => this.catchUp())
      .catch((err: unknown) => this.options.logger.warn({ err }, 'reading the cluster deployment log failed'));
  }

  private async catchUp(): Promise<void> {
    let raw: string[];
    try {
      raw = await this.options.redis.lrange(this.logKey, this.revision, -1);
    } catch (cause) {
      throw new SleetError(ErrorCode.CLUSTER_STORE, `cannot read the cluster's deployment log: ${(cause as Error).message}`, { cause });
    }
    for (const text of raw) {
      if (this.stopping.signal.aborted) return;
      const revision = this.revision + 1;
      let what = 'an unreadable entry';
      try {
        const entry = JSON.parse(text) as Entry;
        what = `${describe(entry)} from node ${entry.node}`;
        if (entry.origin !== this.origin) {
          await this.apply!(await this.operation(entry), this.stopping.signal);
          this.options.logger.info({ revision, from: entry.node }, `applied ${what}`);
        }
      } catch (err) {
        if (this.stopping.signal.aborted) return;
        this.lastError = `revision ${revision}, ${what}: ${(err as Error).message}`;
        this.options.logger.error({ err, revision }, `could not apply ${what}`);
        this.onFailure(this.lastError, err);
      }
      this.revision = revision;
    }
  }

  private async operation(entry: Entry): Promise<DeploymentOperation> {
    if (entry.kind !== 'install') return entry;
    const bundle = await this.options.redis.getBuffer(this.bundleKey(entry.sha256));
    if (bundle === null) throw new SleetError(ErrorCode.CLUSTER_STORE, `the cluster store has no bundle ${entry.sha256} for unit ${entry.unit}`);
    return { kind: 'install', unit: entry.unit, bundle };
  }

  private bundleKey(sha256: string): string {
    return `sleet:${this.options.cluster}:bundle:${sha256}`;
  }
}
