import type { Slee } from '../container/slee.js';
import type { ResourceAdaptorTypeRegistry } from '../resource-adaptor/resource-adaptor-type-registry.js';
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
import { NotificationHub } from './notifications/notification-hub.js';
import { connectSleeNotifications } from './notifications/connect-slee-notifications.js';
import type { PersistedResources, ResourceStateStore } from './persisted-resources.js';

export interface ManagementOptions {
  slee: Slee;
  raTypes: ResourceAdaptorTypeRegistry;
  profiles?: ProfileProvisioning;
  profileSpecs?: ProfileSpecCatalogue;
  deployment?: DeploymentBackend;
  /** Where RA entities, link names and trace levels are persisted; nothing is persisted without it. */
  state?: ResourceStateStore;
  /** What `SleeManagement.shutdown()` does after stopping the SLEE. */
  onShutdown?: () => Promise<void>;
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
  private readonly disconnect: () => void;
  private readonly state: ResourceStateStore | undefined;
  /** Saves are chained so that concurrent changes are written in order. */
  private saving: Promise<void> = Promise.resolve();
  private pending: Pick<PersistedResources, 'entities' | 'links'> = { entities: [], links: [] };

  constructor(options: ManagementOptions) {
    const { slee } = options;
    this.state = options.state;
    this.notifications = new NotificationHub(() => slee.kernel.clock.now());
    this.disconnect = connectSleeNotifications(slee, this.notifications);
    const persist = () => this.persist();
    this.slee = new SleeManagement(slee, options.onShutdown);
    this.deployment = new DeploymentManagement(options.deployment ?? null);
    this.services = new ServiceManagement(slee);
    this.resources = new ResourceManagement(slee, options.raTypes, persist);
    this.profileSpecs = options.profileSpecs ?? new ProfileSpecCatalogue();
    this.profiles = new ProfileProvisioningManagement(options.profiles ?? null, this.profileSpecs, this.notifications);
    this.alarms = new AlarmManagement(slee);
    this.traces = new TraceManagement(slee, persist);
    this.usage = new UsageManagement(slee, this.notifications);
    this.activities = new ActivityManagement(slee);
    this.entities = new SbbEntityManagement(slee, this.services);
  }

  /**
   * Recreates persisted trace levels, RA entities and links. Entities whose
   * type is not registered yet are kept and retried by `restorePending()`
   * (after deployed bundles have registered their types).
   */
  async restore(): Promise<void> {
    const saved = await this.state?.load();
    if (!saved) return;
    this.traces.restore(saved.traces);
    this.pending = await this.resources.restore(saved);
  }

  /** Retries what `restore()` could not recreate; returns the names of the entities still missing a type. */
  async restorePending(): Promise<string[]> {
    this.pending = await this.resources.restore(this.pending);
    return this.pending.entities.map((e) => e.name);
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
