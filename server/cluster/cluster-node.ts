import type { Logger } from 'pino';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { Slee } from '../../slee/container/slee.js';
import { RedisStateReplication } from './redis-state-replication.js';
import { ClusterMembership } from './cluster-membership.js';
import { nodeStatusHeader, type NodeAdvert } from './node-advert.js';
import { shareRouteSecret } from './shared-route-secret.js';
import { ClusterDeployment } from './cluster-deployment.js';
import type { RedisTarget } from '../../slee/cluster/redis-connection.js';

/** The header a clustered node's answer to OPTIONS carries. */
const NODE_STATUS_HEADER = 'X-Sleet-Node';

export interface ClusterNodeOptions {
  cluster: string;
  nodeId: string;
  /** One Redis URL, or a Redis Cluster's seeds. */
  redisUrl: RedisTarget;
  /** The node's Record-Route key file, which gets the cluster's shared key. */
  routeSecretFile: string;
  logger: Logger;
}

/**
 * A node's part in its cluster: the replicated state store, the shared
 * route key, and, once the node runs, its advert. Built before the SLEE
 * (which commits through the store), joined once the SLEE is running.
 */
export class ClusterNode {
  readonly replication: RedisStateReplication;
  /** The cluster's deployment log: what this node records, and follows. */
  readonly deployment: ClusterDeployment;
  private membership: ClusterMembership | null = null;

  private constructor(
    private readonly options: ClusterNodeOptions,
    replication: RedisStateReplication,
  ) {
    this.replication = replication;
    this.deployment = new ClusterDeployment({ redis: replication.redis, cluster: options.cluster, nodeId: options.nodeId, logger: options.logger });
  }

  static async prepare(options: ClusterNodeOptions): Promise<ClusterNode> {
    const replication = new RedisStateReplication({ redisUrl: options.redisUrl, cluster: options.cluster });
    try {
      await shareRouteSecret(replication.redis, options.cluster, options.routeSecretFile);
    } catch (err) {
      await replication.close();
      throw err;
    }
    return new ClusterNode(options, replication);
  }

  get id(): string {
    return this.options.nodeId;
  }

  get state(): NodeAdvert['state'] {
    return this.membership?.state ?? 'open';
  }

  /** Calls (SIP activities) in progress: the load the advert and OPTIONS report. */
  calls: () => number = () => 0;

  /** The answer to OPTIONS: 503 while draining, so that the dispatcher's probe takes the node out; the node's status in a header. */
  optionsAnswer = (): { status: number; headers: Record<string, string> } => ({
    status: this.state === 'draining' ? 503 : 200,
    headers: { [NODE_STATUS_HEADER]: nodeStatusHeader({ id: this.id, state: this.state, calls: this.calls() }) },
  });

  /** Advertises the running node. */
  async join(slee: Slee, advert: { version: string; sip: string; management: string }): Promise<void> {
    this.calls = () => slee.listResourceAdaptorEntities().find((e) => e.name === 'sip')?.activities ?? 0;
    this.membership = new ClusterMembership({
      redis: this.replication.redis,
      cluster: this.options.cluster,
      advert: { id: this.id, startedAt: Date.now(), ...advert },
      calls: this.calls,
      deployment: () => this.deployment.progress(),
      logger: this.options.logger,
    });
    await this.membership.start();
    this.options.logger.info({ cluster: this.options.cluster, node: this.id }, `joined cluster ${this.options.cluster} as ${this.id}`);
  }

  nodes(): Promise<NodeAdvert[]> {
    return this.joined().nodes();
  }

  drain(): Promise<NodeAdvert> {
    return this.joined().drain();
  }

  open(): Promise<NodeAdvert> {
    return this.joined().open();
  }

  async leave(): Promise<void> {
    await this.deployment.stop();
    await this.membership?.stop().catch((err: unknown) => this.options.logger.warn({ err }, 'removing the cluster advert failed'));
    await this.replication.close();
  }

  private joined(): ClusterMembership {
    if (!this.membership) throw new SleetError(ErrorCode.INVALID_STATE, 'the node has not joined its cluster yet');
    return this.membership;
  }
}
