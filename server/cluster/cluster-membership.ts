import type { Cluster, Redis } from 'ioredis';
import { isClusterClient } from '../../slee/cluster/redis-connection.js';
import type { Logger } from 'pino';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { NodeAdvert } from './node-advert.js';

export interface MembershipOptions {
  redis: Redis | Cluster;
  cluster: string;
  advert: Omit<NodeAdvert, 'state' | 'calls' | 'seenAt' | 'deployment'>;
  /** Calls in progress now. */
  calls: () => number;
  /** How far the node has applied the cluster's deployment log. */
  deployment: () => NonNullable<NodeAdvert['deployment']>;
  logger: Logger;
  /** How often the advert is refreshed; 1 s by default. */
  intervalMs?: number;
  /** How long an advert outlives its last refresh: a node silent that long is gone from the list; 3 s by default. */
  ttlMs?: number;
}

/**
 * A node's presence in its cluster: an advert in Redis under a time to
 * live, refreshed every interval, so a node that dies leaves the list by
 * itself. Membership is only this: who routes calls where is the
 * dispatcher's (Kamailio probes the nodes with OPTIONS), and state
 * consistency is the store's version check, so no consensus is needed.
 */
export class ClusterMembership {
  state: NodeAdvert['state'] = 'open';
  private timer: NodeJS.Timeout | null = null;
  private readonly intervalMs: number;
  private readonly ttlMs: number;
  private readonly prefix: string;

  constructor(private readonly options: MembershipOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.ttlMs = options.ttlMs ?? 3000;
    this.prefix = `sleet:${options.cluster}:node:`;
  }

  get id(): string {
    return this.options.advert.id;
  }

  /** This node's advert as of now. */
  advert(): NodeAdvert {
    return { ...this.options.advert, state: this.state, calls: this.options.calls(), deployment: this.options.deployment(), seenAt: Date.now() };
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.options.logger.warn({ err }, 'refreshing the cluster advert failed'));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Takes the node out of rotation: OPTIONS answers 503 from now on, calls in progress go on. */
  async drain(): Promise<NodeAdvert> {
    this.state = 'draining';
    await this.refresh();
    return this.advert();
  }

  async open(): Promise<NodeAdvert> {
    this.state = 'open';
    await this.refresh();
    return this.advert();
  }

  /** Every node whose advert has not expired, by id. */
  async nodes(): Promise<NodeAdvert[]> {
    const keys: string[] = [];
    const redis = this.options.redis;
    try {
      // SCAN walks one server's keys: on a Redis Cluster each master holds the adverts whose slots it serves.
      // A cluster client learns its masters when it connects, which a first command (PING) waits for.
      const shards = isClusterClient(redis) ? await redis.ping().then(() => redis.nodes('master')) : [redis];
      for (const shard of shards) {
        let cursor = '0';
        do {
          const [next, batch] = await shard.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 100);
          cursor = next;
          keys.push(...batch);
        } while (cursor !== '0');
      }
      const values = await Promise.all(keys.map((k) => redis.get(k)));
      return values
        .filter((v): v is string => v !== null)
        .map((v) => JSON.parse(v) as NodeAdvert)
        .sort((a, b) => a.id.localeCompare(b.id));
    } catch (cause) {
      throw new SleetError(ErrorCode.CLUSTER_STORE, `cannot list the cluster's nodes: ${(cause as Error).message}`, { cause });
    }
  }

  /** Leaves the cluster: the advert goes at once rather than when it expires. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.options.redis.del(`${this.prefix}${this.id}`);
  }

  private async refresh(): Promise<void> {
    await this.options.redis.set(`${this.prefix}${this.id}`, JSON.stringify(this.advert()), 'PX', this.ttlMs);
  }
}
