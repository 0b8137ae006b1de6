import type { Slee } from '../../slee/container/slee.js';
import type { ComponentId } from '../../slee/component-model/component-id.js';
import type { ResourceAdaptorTypeRegistry } from '../../slee/resource-adaptor/resource-adaptor-type-registry.js';
import type { ProfileProvisioning } from '../../profiles/provisioning/profile-provisioning.js';
import { SleeManagement } from './slee-management.js';
import { DeploymentManagement, type DeploymentBackend } from './deployment-management.js';
import { ServiceManagement } from './service-management.js';
import { ResourceManagement } from './resource-management.js';
import { ProfileProvisioningManagement } from './profile-provisioning-management.js';
import { ProfileSpecCatalogue } from './profile-spec-catalogue.js';
import { AlarmManagement } from './alarm-management.js';
import { TraceManagement } from './trace-management.js';
import { UsageManagement } from './usage-management.js';
import { ActivityManagement } from './activity-management.js';
import { SbbEntityManagement } from './sbb-entity-management.js';
import { CdrManagement, type CdrSource } from './cdr-management.js';
import { MessageTraceManagement, type MessageTraceControl } from './message-trace-management.js';
import { ClusterManagement, type ClusterView } from './cluster-management.js';
import { NotificationHub } from './notifications/notification-hub.js';
import { connectSleeNotifications } from './notifications/connect-slee-notifications.js';
import type { PersistedResources, ResourceStateStore } from './persisted-resources.js';
import type { DeploymentLog, DeploymentOperation } from './deployment-log.js';

export interface ManagementOptions {
  slee: Slee;
  raTypes: ResourceAdaptorTypeRegistry;
  profiles?: ProfileProvisioning;
  profileSpecs?: ProfileSpecCatalogue;
  deployment?: DeploymentBackend;
  /** Where RA entities, link names and trace levels are persisted; nothing is persisted without it. */
  state?: ResourceStateStore;
  /** Call detail records (the node's accounting table); without it the CDR operations are unavailable. */
  cdrs?: CdrSource;
  /** The SIP message trace; without it the message-trace operations are unavailable. */
  messageTrace?: MessageTraceControl;
  /** What `SleeManagement.shutdown()` does after stopping the SLEE. */
  onShutdown?: () => Promise<void>;
  /** The node's cluster, when it is in one. */
  cluster?: ClusterView;
  /** Where deployment operations are recorded for the other nodes of the cluster. */
  deploymentLog?: DeploymentLog;
}

/**
 * The management model: one object per JSLEE MBean, over one SLEE. REST,
 * the typed client and the CLI are views of this; in process, use it
 * directly.
 */
export class Management {
  readonly notifications: NotificationHub;
  readonly slee: SleeManagement;
  readonly deployment: DeploymentManagement;
  readonly services: ServiceManagement;
  readonly resources: ResourceManagement;
  readonly profiles: ProfileProvisioningManagement;
  readonly profileSpecs: ProfileSpecCatalogue;
  readonly alarms: AlarmManagement;
  readonly traces: TraceManagement;
  readonly usage: UsageManagement;
  readonly activities: ActivityManagement;
  readonly entities: SbbEntityManagement;
  readonly cdrs: CdrManagement;
  readonly messageTrace: MessageTraceManagement;
  readonly cluster: ClusterManagement;
  private readonly disconnect: () => void;
  private readonly state: ResourceStateStore | undefined;
  /** Saves are chained so that concurrent changes are written in order. */
  private saving: Promise<void> = Promise.resolve();
  private pending: Pick<PersistedResources, 'entities' | 'links'> = { entities: [], links: [] };
  private readonly restoredActive: string[] = [];
  private readonly sleeCore: Slee;

  constructor(options: ManagementOptions) {
    const { slee } = options;
    this.state = options.state;
    this.sleeCore = slee;
    this.notifications = new NotificationHub(() => slee.kernel.clock.now());
    this.disconnect = connectSleeNotifications(slee, this.notifications);
    this.cluster = new ClusterManagement(options.cluster);
    const persist = () => this.persist();
    this.slee = new SleeManagement(slee, options.onShutdown);
    this.deployment = new DeploymentManagement(options.deployment ?? null, options.deploymentLog);
    this.services = new ServiceManagement(slee, options.deploymentLog);
    this.resources = new ResourceManagement(slee, options.raTypes, persist);
    this.profileSpecs = options.profileSpecs ?? new ProfileSpecCatalogue();
    this.profiles = new ProfileProvisioningManagement(options.profiles ?? null, this.profileSpecs, this.notifications);
    this.alarms = new AlarmManagement(slee);
    this.traces = new TraceManagement(slee, persist);
    this.usage = new UsageManagement(slee, this.notifications);
    this.activities = new ActivityManagement(slee);
    this.entities = new SbbEntityManagement(slee, this.services);
    this.cdrs = new CdrManagement(options.cdrs ?? null);
    this.messageTrace = new MessageTraceManagement(options.messageTrace ?? null);
  }

  /**
   * Recreates persisted trace levels, RA entities and links. Entities whose
   * type is not registered yet are kept and retried by `restorePending()`
   * (after deployed bundles have registered their types); those that were
   * active wait for `activateRestored()`.
   */
  async restore(): Promise<void> {
    const saved = await this.state?.load();
    if (!saved) return;
    this.traces.restore(saved.traces);
    this.pending = await this.resources.restore(saved, this.restoredActive);
  }

  /** Retries what `restore()` could not recreate; returns the names of the entities still missing a type. */
  async restorePending(): Promise<string[]> {
    this.pending = await this.resources.restore(this.pending, this.restoredActive);
    return this.pending.entities.map((e) => e.name);
  }

  /** Activates the restored entities that were active, once the node's services are back. */
  async activateRestored(): Promise<void> {
    for (const name of this.restoredActive.splice(0)) {
      if (this.resources.getEntity(name).state === 'INACTIVE') await this.resources.activateEntity(name);
    }
  }

  /**
   * Applies a deployment operation another node of the cluster performed,
   * on this node only: it is not recorded again, so operations do not loop.
   * One already in effect here is skipped. An uninstall waits (up to
   * `drainLimitMs`, or until `signal` aborts) for the unit's services to
   * drain here first: calls on this node may outlast those on the node that
   * uninstalled.
   */
  async applyDeployment(operation: DeploymentOperation, options: { drainLimitMs: number; signal: AbortSignal }): Promise<void> {
    const slee = this.sleeCore;
    const units = () => this.deployment.listUnits();
    switch (operation.kind) {
      case 'install':
        if (!units().some((u) => u.id === operation.unit)) await this.deployment.installHere(operation.bundle);
        return;
      case 'uninstall': {
        const unit = units().find((u) => u.id === operation.unit) as { components: Array<{ kind: string; id: ComponentId }> } | undefined;
        if (!unit) return;
        const services = unit.components.filter((c) => c.kind === 'service').map((c) => c.id);
        const deadline = Date.now() + options.drainLimitMs;
        while (services.some((s) => slee.serviceState(s) === 'STOPPING') && Date.now() < deadline && !options.signal.aborted) {
          await new Promise((r) => setTimeout(r, 200));
        }
        await this.deployment.uninstallHere(operation.unit);
        return;
      }
      case 'activate':
        if (slee.serviceState(operation.service) !== 'ACTIVE') slee.activateService(operation.service);
        return;
      case 'deactivate':
        if (slee.serviceState(operation.service) === 'ACTIVE') slee.deactivateService(operation.service);
        return;
      case 'upgrade':
        if (slee.serviceState(operation.to) === 'ACTIVE') return;
        // Where the old version is not active (deactivated here meanwhile), the upgrade is an activation.
        if (slee.serviceState(operation.from) === 'ACTIVE') slee.deactivateAndActivate(operation.from, operation.to);
        else slee.activateService(operation.to);
        return;
    }
  }

  close(): void {
    this.disconnect();
  }

  private persist(): Promise<void> {
    const state = this.state;
    if (!state) return Promise.resolve();
    const snapshot = this.resources.snapshot();
    // Entities still waiting for their type are kept, not forgotten.
    const value: PersistedResources = {
      entities: [...snapshot.entities, ...this.pending.entities.filter((p) => !snapshot.entities.some((e) => e.name === p.name))],
      links: [...snapshot.links, ...this.pending.links.filter((p) => !snapshot.links.some((l) => l.link === p.link))],
      traces: this.traces.list(),
    };
    this.saving = this.saving.then(() => state.save(value));
    return this.saving;
  }
}
