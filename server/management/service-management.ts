import type { Slee } from '../../slee/container/slee.js';
import type { ServiceInfo } from './api/schemas.js';
import { resolveComponentRef, sameComponent, type ComponentRef } from './component-ref.js';
import type { DeploymentLog } from './deployment-log.js';

/** JSLEE's ServiceManagementMBean. Services are named by `name[:vendor[:version]]` or a full id. */
export class ServiceManagement {
  constructor(
    private readonly slee: Slee,
    private readonly log?: DeploymentLog,
  ) {}

  list(): ServiceInfo[] {
    return this.slee.listServices().map((s) => ({ ...s, id: { ...s.id } }));
  }

  get(ref: ComponentRef): ServiceInfo {
    const id = this.resolve(ref);
    return this.list().find((s) => sameComponent(s.id, id))!;
  }

  /** In a cluster, every node activates it. */
  async activate(ref: ComponentRef): Promise<ServiceInfo> {
    const id = this.resolve(ref);
    this.slee.activateService(id);
    await this.log?.record({ kind: 'activate', service: id });
    return this.get(id);
  }

  async deactivate(ref: ComponentRef): Promise<ServiceInfo> {
    const id = this.resolve(ref);
    this.slee.deactivateService(id);
    await this.log?.record({ kind: 'deactivate', service: id });
    return this.get(id);
  }

  /** The versioned upgrade: new work goes to `activate`, existing activities stay with `deactivate`. */
  async deactivateAndActivate(deactivate: ComponentRef, activate: ComponentRef): Promise<ServiceInfo[]> {
    const current = this.resolve(deactivate);
    const next = this.resolve(activate);
    this.slee.deactivateAndActivate(current, next);
    await this.log?.record({ kind: 'upgrade', from: current, to: next });
    return [this.get(current), this.get(next)];
  }

  resolve(ref: ComponentRef) {
    return resolveComponentRef(
      'service',
      ref,
      this.slee.listServices().map((s) => s.id),
    );
  }
}
