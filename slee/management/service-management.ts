import type { Slee } from '../container/slee.js';
import type { ServiceInfo } from './api/schemas.js';
import { resolveComponentRef, sameComponent, type ComponentRef } from './component-ref.js';

/** JSLEE's ServiceManagementMBean. Services are named by `name[:vendor[:version]]` or a full id. */
export class ServiceManagement {
  constructor(private readonly slee: Slee) {}

  list(): ServiceInfo[] {
    return this.slee.listServices().map((s) => ({ ...s, id: { ...s.id } }));
  }

  get(ref: ComponentRef): ServiceInfo {
    const id = this.resolve(ref);
    return this.list().find((s) => sameComponent(s.id, id))!;
  }

  activate(ref: ComponentRef): ServiceInfo {
    const id = this.resolve(ref);
    this.slee.activateService(id);
    return this.get(id);
  }

  deactivate(ref: ComponentRef): ServiceInfo {
    const id = this.resolve(ref);
    this.slee.deactivateService(id);
    return this.get(id);
  }

  /** The versioned upgrade: new work goes to `activate`, existing activities stay with `deactivate`. */
  deactivateAndActivate(deactivate: ComponentRef, activate: ComponentRef): ServiceInfo[] {
    const current = this.resolve(deactivate);
    const next = this.resolve(activate);
    this.slee.deactivateAndActivate(current, next);
    return [this.get(current), this.get(next)];
  }

  resolve(ref: ComponentRef) {
    return resolveComponentRef('service', ref, this.slee.listServices().map((s) => s.id));
  }
}
