import { scanProfileSpecification } from '../../profiles/specification/scan-profile-specification.js';
import type { ProfileSpecificationModel } from '../../profiles/specification/profile-specification-model.js';
import type { ProfileStore } from '../../profiles/storage/profile-store.js';
import { resolveComponentRef, type ComponentRef } from './component-ref.js';

/**
 * The profile specifications operators can create tables from: those
 * registered (built in, or from deployed bundles) and those of the tables
 * that already exist.
 */
export class ProfileSpecCatalogue {
  private readonly registered = new Map<string, ProfileSpecificationModel>();
  private readonly sources: Array<() => readonly ProfileSpecificationModel[]> = [];

  /** A spec class decorated with `@ProfileSpec`, or its scanned model. */
  register(spec: Function | ProfileSpecificationModel): ProfileSpecificationModel {
    const model = typeof spec === 'function' ? scanProfileSpecification(spec) : spec;
    this.registered.set(model.id, model);
    return model;
  }

  /** Adds a live source of specs, e.g. the deployment subsystem's installed profile specs. */
  addSource(source: () => readonly ProfileSpecificationModel[]): void {
    this.sources.push(source);
  }

  list(store?: ProfileStore): ProfileSpecificationModel[] {
    const all = new Map<string, ProfileSpecificationModel>();
    for (const t of store?.listTables() ?? []) all.set(t.spec.id, t.spec);
    for (const source of this.sources) for (const m of source()) all.set(m.id, m);
    for (const [id, m] of this.registered) all.set(id, m);
    return [...all.values()];
  }

  resolve(ref: ComponentRef, store?: ProfileStore): ProfileSpecificationModel {
    const models = this.list(store);
    const id = resolveComponentRef('profile specification', ref, models);
    return models.find((m) => m.name === id.name && m.vendor === id.vendor && m.version === id.version)!;
  }
}
