import { componentKey, type ComponentId } from '../../component-model/component-id.js';
import { eventTypeKey, type EventType } from '../../component-model/event-type.js';
import { MetadataKey } from '../../component-model/metadata-keys.js';
import type { ResourceAdaptorType } from '../../resource-adaptor/resource-adaptor-type.js';
import type { SbbClass } from '../sbb-component.js';
import type { ProfileSpecSupport } from '../profile-spec-support.js';
import type { BundleDescriptor, BundleEntryPoint } from './bundle-descriptor.js';
import { BundleModuleLoader } from './bundle-module-loader.js';
import type { LoadedBundle } from './loaded-bundle.js';

function idText(id: ComponentId): string {
  return `${id.name}/${id.vendor}/${id.version}`;
}

function sameId(meta: unknown, id: ComponentId): boolean {
  const m = meta as Partial<ComponentId> | undefined;
  return m !== undefined && m.name === id.name && m.vendor === id.vendor && m.version === id.version;
}

function describe(meta: unknown): string {
  return meta ? idText(meta as ComponentId) : 'nothing';
}

/**
 * Loads every entry point the descriptor names and checks each export is
 * what the descriptor says (same kind, same id). Problems are collected, not
 * thrown, so a refused bundle reports all of them together.
 */
export function loadBundleCode(bundleDir: string, descriptor: BundleDescriptor, errors: string[], profileSpecSupport?: ProfileSpecSupport): LoadedBundle {
  const loader = new BundleModuleLoader(bundleDir, descriptor.permissions, `${descriptor.unit.vendor}.${descriptor.unit.name}@${descriptor.unit.version}`);
  const resolveExport = (what: string, entry: BundleEntryPoint): unknown => {
    let exports: unknown;
    try {
      exports = loader.load(entry.module);
    } catch (err) {
      errors.push(`${what}: ${(err as Error).message}`);
      return undefined;
    }
    const value = (exports as Record<string, unknown> | null)?.[entry.export];
    if (value === undefined) errors.push(`${what}: module ${entry.module} does not export '${entry.export}'`);
    return value;
  };

  const c = descriptor.components;
  const services: Array<LoadedBundle['services'][number]> = [];
  for (const entry of c.services) {
    const value = resolveExport(`service ${idText(entry)}`, entry);
    if (value === undefined) continue;
    const meta = typeof value === 'function' ? Reflect.getMetadata(MetadataKey.service, value) : undefined;
    if (!sameId(meta, entry)) errors.push(`service ${idText(entry)}: ${entry.module}#${entry.export} is ${describe(meta)}, not a @Service with that id`);
    else services.push({ entry, rootClass: value as SbbClass });
  }
  for (const entry of c.sbbs) {
    const value = resolveExport(`SBB ${idText(entry)}`, entry);
    if (value === undefined) continue;
    const meta = typeof value === 'function' ? Reflect.getOwnMetadata(MetadataKey.sbb, value) : undefined;
    if (!sameId(meta, entry)) errors.push(`SBB ${idText(entry)}: ${entry.module}#${entry.export} is ${describe(meta)}, not an @Sbb with that id`);
  }
  const eventTypes: EventType[] = [];
  for (const entry of c.eventTypes) {
    const value = resolveExport(`event type ${idText(entry)}`, entry) as EventType | undefined;
    if (value === undefined) continue;
    if (value.key !== eventTypeKey(entry) || value.short !== entry.short) {
      errors.push(`event type ${idText(entry)}: ${entry.module}#${entry.export} defines ${value.key ?? 'no event type'} with short name '${value.short}'`);
    } else eventTypes.push(value);
  }
  const profileSpecs = new Map<string, Function>();
  for (const entry of c.profileSpecs) {
    const value = resolveExport(`profile specification ${idText(entry)}`, entry);
    if (value === undefined) continue;
    if (!profileSpecSupport) {
      errors.push(`profile specification ${idText(entry)}: this SLEE has no profile subsystem to install it with`);
      continue;
    }
    const meta = profileSpecSupport.declaredId(value);
    if (!sameId(meta, entry))
      errors.push(`profile specification ${idText(entry)}: ${entry.module}#${entry.export} is ${describe(meta)}, not a @ProfileSpec with that id`);
    else profileSpecs.set(componentKey(entry), value as Function);
  }
  const raTypes: ResourceAdaptorType[] = [];
  for (const entry of c.raTypes) {
    const value = resolveExport(`resource-adaptor type ${idText(entry)}`, entry) as ResourceAdaptorType | undefined;
    if (value === undefined) continue;
    if (!sameId(value.id, entry) || typeof value.create !== 'function' || !Array.isArray(value.configProperties)) {
      errors.push(`resource-adaptor type ${idText(entry)}: ${entry.module}#${entry.export} is not a ResourceAdaptorType with that id`);
    } else raTypes.push(value);
  }
  for (const library of c.libraries) {
    for (const module of library.modules) {
      try {
        loader.load(module);
      } catch (err) {
        errors.push(`library ${idText(library)}: ${(err as Error).message}`);
      }
    }
  }
  return { loader, services, eventTypes, profileSpecs, raTypes };
}
