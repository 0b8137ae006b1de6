import { mkdir, rm, writeFile } from 'node:fs/promises';
import { readManagementTls } from './config/read-pem-files.js';
import type { Clock } from '../../base/clock/clock.js';
import { makePrivate, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../slee/persistence/make-private.js';
import { readDigestSecret } from './data-dir/digest-secret.js';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { createLogger } from './create-logger.js';
import { ProfileStore } from '../../profiles/storage/profile-store.js';
import { ProfileProvisioning } from '../../profiles/provisioning/profile-provisioning.js';
import { scanProfileSpecification } from '../../profiles/specification/scan-profile-specification.js';
import { profileFacilityBinding, profileAddressResolver, connectProfileEvents, profileSpecSupport } from '../../profiles/slee/index.js';
import { Slee } from '../../slee/container/slee.js';
import { BullTimerBackend } from '../../slee/facilities/timer/bull-timer-backend.js';
import { isRedisCluster } from '../../slee/cluster/redis-connection.js';
import { ResourceAdaptorTypeRegistry } from '../../slee/resource-adaptor/resource-adaptor-type-registry.js';
import type { ResourceAdaptorType } from '../../slee/resource-adaptor/resource-adaptor-type.js';
import { DeploymentManager } from '../../slee/deployment/deployment-manager.js';
import { StateFile } from '../../slee/persistence/state-file.js';
import { Management } from '../management/management.js';
import { ManagementServer } from '../management/rest/management-server.js';
import { persistedResourcesSchema, type PersistedResources, type ResourceStateStore } from '../management/persisted-resources.js';
import { builtInResourceAdaptorTypes } from './resources/built-in-resource-adaptors.js';
import { activateDefaultEntities, ensureDefaultEntities } from './resources/default-resources.js';
import { startTelephonyServices } from './telephony-services.js';
import { REGISTRATIONS_TABLE } from '../../sbbs/index.js';
import { provisionDemoSubscribers } from '../demo/demo-subscribers.js';
import { deployDemoExamples } from '../demo/deploy-demo-examples.js';
import { httpAuthOn, type NodeConfig } from './config/node-config.js';
import { readTokenFile, writeTokenFile } from './data-dir/token-file.js';
import { lockDataDir } from './data-dir/data-dir-lock.js';
import { portInUse } from './config/port-in-use.js';
import { installCrashGuard } from './crash-guard.js';
import { PromMetricRegistry } from '../metrics/prom-metric-registry.js';
import { collectNodeMetrics } from '../metrics/node-metrics.js';
import { registerTelephonyMetrics } from '../metrics/telephony-metrics.js';
import { NodeSipObserver } from '../observability/node-sip-observer.js';
import { startAccounting } from '../accounting/start-accounting.js';
import { MessageTrace } from '../observability/message-trace/message-trace.js';
import { createSipResourceAdaptorType, sipResourceAdaptorType } from '../../resource-adaptors/sip/ra/sip-resource-adaptor-type.js';
import {
  BUNDLE_DIRS,
  TRACES_DIR,
  DEPLOYMENT_FILE,
  DIGEST_SECRET_FILE,
  HTTP_TOKEN_FILE,
  MANAGEMENT_TOKEN_FILE,
  MANAGEMENT_URL_FILE,
  RESOURCES_FILE,
  ROUTE_SECRET_FILE,
} from './data-dir/data-files.js';
import { ClusterNode } from '../cluster/cluster-node.js';
import { shareProfileChanges } from '../cluster/shared-profile-changes.js';

const CLUSTER_SOURCE = 'subsystem:cluster';
const CLUSTER_DEPLOYMENT_ALARM = 'sleet.cluster.deployment-failed';
/** How long a node applying another's uninstall waits for the unit's services to drain here. */
const DRAIN_BEFORE_UNINSTALL_MS = 5 * 60_000;

export interface SleetNodeOptions {
  config: NodeConfig;
  logger?: Logger;
  /** Resource-adaptor types to register; default: the built-in list. */
  resourceAdaptorTypes?: readonly ResourceAdaptorType[];
  /** Version shown in the OpenAPI document. */
  version?: string;
  /**
   * One clock for the SLEE, the SIP stack and the call-record writer, for a
   * caller that drives time itself (a count under valgrind, where the wall
   * clock would decide what lives). Default: the SLEE's wall clock, and the
   * stack's and the writer's own.
   */
  clock?: Clock;
}

/**
 * The composition root of a Sleet process: profile store, SLEE (with the
 * profile facility), resource-adaptor types, deployment, the management
 * model and its REST server, built from one NodeConfig.
 */
export class SleetNode {
  readonly logger: Logger;
  readonly dataDir: string;
  readonly tokenFile: string;
  private stopping: Promise<void> | null = null;
  /** Lets the data directory go, last of all at stop. */
  private releaseLock: (() => Promise<void>) | null = null;
  private readonly cleanups: Array<() => void | Promise<void>> = [];
  private resolveStopped!: () => void;
  /** Resolves once the node has stopped, by `stop()` or a management shutdown. */
  readonly stopped: Promise<void> = new Promise((r) => (this.resolveStopped = r));

  private constructor(
    readonly config: NodeConfig,
    logger: Logger,
    readonly profiles: ProfileStore,
    readonly slee: Slee,
    readonly raTypes: ResourceAdaptorTypeRegistry,
    readonly deployment: DeploymentManager,
    readonly management: Management,
    readonly server: ManagementServer,
    readonly token: string,
  ) {
    this.logger = logger;
    this.dataDir = resolve(config.dataDir);
    this.tokenFile = join(this.dataDir, MANAGEMENT_TOKEN_FILE);
  }

  static async start(options: SleetNodeOptions): Promise<SleetNode> {
    const config = options.config;
    const logger = options.logger ?? createLogger(config.logLevel, config.logFormat);
    const dataDir = resolve(config.dataDir);
    await secureDataDir(dataDir);
    const releaseLock = await lockDataDir(dataDir);
    const cleanups: Array<() => void | Promise<void>> = [];
    try {
      const profiles = await ProfileStore.open({ url: config.profilesUrl, dataDir });
      cleanups.push(() => profiles.close());
      const cluster = config.cluster
        ? await ClusterNode.prepare({
            cluster: config.cluster,
            nodeId: config.nodeId,
            redisUrl: config.redisUrl!,
            routeSecretFile: join(dataDir, ROUTE_SECRET_FILE),
            logger,
          })
        : null;
      if (cluster) cleanups.push(() => cluster.leave());
      const binding = profileFacilityBinding(profiles);
      if (cluster) {
        // Other nodes (and workers) write the same store: their changes must reach this node's profile cache.
        // Registrations are read from the store each time: a call may follow at once a REGISTER another node took.
        binding.facility.writtenElsewhere(REGISTRATIONS_TABLE);
        const forget = (table: string, name?: string) => binding.facility.forget(table, name);
        const stop = await shareProfileChanges({
          redis: cluster.replication.redis,
          cluster: config.cluster!,
          nodeId: cluster.id,
          store: profiles,
          forget,
          logger,
        });
        cleanups.push(stop);
      }
      const metrics = config.metrics ? new PromMetricRegistry() : undefined;
      if (metrics) {
        collectNodeMetrics(metrics);
        registerTelephonyMetrics(metrics, profiles, binding.facility);
      }
      const slee = new Slee({
        ...(metrics ? { metrics } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
        logger,
        ...(config.overload
          ? {
              overload: {
                maxUtilisation: config.overloadMaxUtilisation,
                maxDelayMs: config.overloadMaxDelayMs,
                maxInputDelayMs: config.overloadMaxInputDelayMs,
                maxBacklog: config.overloadMaxBacklog,
                retryAfterSeconds: config.overloadRetryAfter,
              },
            }
          : {}),
        facilities: [binding],
        addressProfileResolver: profileAddressResolver(binding.facility),
        handlerTimeoutMs: config.handlerTimeoutMs,
        // Durable, cluster-wide timers when Redis is configured (on Redis Cluster too, in one hash-tagged slot); in-process otherwise.
        ...(config.redisUrl ? { timerBackend: new BullTimerBackend({ redisUrl: config.redisUrl }) } : {}),
        ...(cluster ? { replication: cluster.replication } : {}),
      });
      cleanups.push(connectProfileEvents(slee, profiles));
      // A start that fails after the SLEE is running stops it, so its listeners let go of their ports.
      cleanups.push(async () => {
        if (slee.state === 'RUNNING') await slee.stop();
      });
      // From here on no error may end the process: see installCrashGuard.
      cleanups.push(installCrashGuard(process, logger, slee.kernel.alarms));
      const raTypes = new ResourceAdaptorTypeRegistry();
      const sipObserver = new NodeSipObserver(logger);
      const accounting = await startAccounting({
        profiles,
        alarms: slee.kernel.alarms,
        logger,
        ...(metrics ? { metrics } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      });
      sipObserver.calls = accounting.writer;
      cleanups.push(() => accounting.writer.close());
      const messageTrace = new MessageTrace({ logger, dir: join(dataDir, TRACES_DIR) });
      sipObserver.trace = messageTrace;
      cleanups.push(() => messageTrace.close());
      // The built-in SIP type reports calls, registrations and traced messages to the node; a clustered node's answers OPTIONS with its state, and refuses new calls while it drains.
      const sipType = createSipResourceAdaptorType({
        observer: sipObserver,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(cluster ? { optionsAnswer: cluster.optionsAnswer, draining: () => cluster.state === 'draining' } : {}),
      });
      for (const type of options.resourceAdaptorTypes ?? builtInResourceAdaptorTypes) raTypes.register(type === sipResourceAdaptorType ? sipType : type);
      const deployment = new DeploymentManager({ slee, raTypes, profileSpecs: profileSpecSupport(profiles), dataDir, logger });
      cleanups.push(() => deployment.close());
      let node: SleetNode | undefined;
      const management = new Management({
        slee,
        raTypes,
        profiles: new ProfileProvisioning(profiles),
        deployment,
        cdrs: accounting.source,
        messageTrace,
        state: resourceStateFile(join(dataDir, RESOURCES_FILE)),
        ...(cluster ? { cluster, deploymentLog: cluster.deployment } : {}),
        onShutdown: async () => {
          await node?.stop();
        },
      });
      cleanups.push(() => management.close());
      management.profileSpecs.addSource(() =>
        deployment
          .listComponents()
          .filter((c) => c.kind === 'profile-spec')
          .flatMap((c) => {
            const spec = deployment.profileSpec(c.id);
            return spec ? [scanProfileSpecification(spec)] : [];
          }),
      );

      // Entities of built-in types and their links first: restored services may need the links.
      await management.restore();
      // The HTTP token outlives restarts, unlike the management token: outside systems call these services.
      const httpTokenFile = join(dataDir, HTTP_TOKEN_FILE);
      const httpToken = httpAuthOn(config) ? await writeTokenFile(httpTokenFile, config.httpToken ?? (await readTokenFile(httpTokenFile))) : '';
      if (httpToken === '') logger.warn('HTTP services take requests without authentication (--http-auth off, or --demo)');
      else logger.info({ tokenFile: httpTokenFile }, 'HTTP services require the token in ' + httpTokenFile);
      await ensureDefaultEntities(management, config, httpToken, logger);
      cleanups.push(await startTelephonyServices(slee, profiles, config, await readDigestSecret(join(dataDir, DIGEST_SECRET_FILE)), logger));
      if (cluster) {
        // The cluster's log, not deployment.json, says what a clustered node runs: it applies it all, before its SIP listens.
        const alarms = slee.kernel.alarms;
        await cluster.deployment.follow(
          (operation, signal) => management.applyDeployment(operation, { drainLimitMs: DRAIN_BEFORE_UNINSTALL_MS, signal }),
          (message, err) => alarms.raise(CLUSTER_SOURCE, CLUSTER_DEPLOYMENT_ALARM, cluster.id, 'MAJOR', `cluster deployment not applied: ${message}`, err),
        );
      } else await deployment.restore();
      if (config.demo) await provisionDemoSubscribers(profiles, config.domain[0]!, logger);
      const missing = await management.restorePending();
      if (missing.length > 0) logger.warn({ entities: missing }, 'resource-adaptor entities whose type is not installed were not restored');
      await slee.start();
      if (config.demo) await deployDemoExamples(slee, deployment, profiles, logger);

      const tokenFile = join(dataDir, MANAGEMENT_TOKEN_FILE);
      const token = await writeTokenFile(tokenFile, config.managementToken);
      const server = new ManagementServer({
        management,
        token,
        logger,
        ...(options.version ? { version: options.version } : {}),
        ...(config.managementTlsCert && config.managementTlsKey ? { tls: await readManagementTls(config.managementTlsCert, config.managementTlsKey) } : {}),
        ...(metrics ? { metrics: { contentType: metrics.contentType, metrics: () => metrics.metrics(), auth: config.metricsAuth } } : {}),
      });
      cleanups.push(() => server.close());
      const url = await server.listen(config.managementHost, config.managementPort);
      await writeFile(join(dataDir, MANAGEMENT_URL_FILE), `${url}\n`, { mode: PRIVATE_FILE_MODE });
      // SIP and HTTP listen only now, so the first request meets every configured service.
      await management.activateRestored();
      await activateDefaultEntities(management, config);
      await cluster?.join(slee, { version: options.version ?? 'unknown', sip: `${config.sipHost}:${config.sipPort}`, management: url });
      node = new SleetNode(config, logger, profiles, slee, raTypes, deployment, management, server, token);
      node.releaseLock = releaseLock;
      node.cleanups.push(...cleanups);
      logger.info(
        {
          dataDir,
          profiles: profiles.backend === 'sqlite' ? config.profilesUrl : 'mysql',
          sip: `${config.sipHost}:${config.sipPort}`,
          httpPort: config.httpPort,
          domains: config.domain,
          timers: config.redisUrl ? 'bull (durable)' : 'in-process',
          ...(config.redisUrl ? { redis: isRedisCluster(config.redisUrl) ? 'Redis Cluster' : 'single' } : {}),
          ...(cluster ? { cluster: config.cluster, node: cluster.id } : {}),
          raTypes: raTypes.list().map((t) => t.id.name),
          units: deployment.listUnits().length,
        },
        'sleet node started',
      );
      logger.info({ url, tokenFile }, `management API listening on ${url}`);
      const active = slee
        .listServices()
        .filter((s) => s.state === 'ACTIVE')
        .map((s) => `${s.id.name}:${s.id.vendor}:${s.id.version}`);
      logger.info(
        { services: active, units: deployment.listUnits().map((u) => u.name), sip: `${config.sipHost}:${config.sipPort}`, management: url },
        `ready: ${active.join(', ')}`,
      );
      return node;
    } catch (err) {
      for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
      await releaseLock();
      throw portInUse(err, config) ?? err;
    }
  }

  get managementUrl(): string {
    return this.server.url;
  }

  /** Stops the SLEE, closes the REST server and the profile store. Safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.logger.info('sleet node stopping');
    if (this.slee.state === 'RUNNING') await this.slee.stop();
    await this.deployment.flush();
    for (const cleanup of this.cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        this.logger.error({ err }, 'error while stopping the node');
      }
    }
    await rm(join(this.dataDir, MANAGEMENT_URL_FILE), { force: true });
    await this.releaseLock?.();
    this.logger.info('sleet node stopped');
    this.resolveStopped();
  }
}

/**
 * The data directory holds credentials (HA1s, the management token, the
 * nonce secret) and deployable code: it is created 0700, and one left by an
 * older version is tightened, with its files 0600 and bundle trees 0700/0600.
 */
async function secureDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await makePrivate(dataDir);
  for (const file of [MANAGEMENT_TOKEN_FILE, MANAGEMENT_URL_FILE, RESOURCES_FILE, DEPLOYMENT_FILE, DIGEST_SECRET_FILE]) await makePrivate(join(dataDir, file));
  for (const dir of BUNDLE_DIRS) await makePrivate(join(dataDir, dir), { recursive: true });
}

/** resources.json through the deployment subsystem's StateFile, checked on load. */
function resourceStateFile(path: string): ResourceStateStore {
  const file = new StateFile<PersistedResources | null>(path, () => null);
  return {
    load: async () => {
      const value = await file.read();
      return value === null ? undefined : persistedResourcesSchema.parse(value);
    },
    save: (state) => file.write(state),
  };
}
