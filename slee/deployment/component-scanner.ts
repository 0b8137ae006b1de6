import { SleetError } from '../errors/sleet-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { componentKey, formatComponentId } from '../component-model/component-id.js';
import { MetadataKey } from '../component-model/metadata-keys.js';
import { realmIntrinsics } from '../component-model/realm-intrinsics.js';
import type { SbbMetadata } from '../component-model/sbb.decorator.js';
import type { ServiceMetadata } from '../component-model/service.decorator.js';
import type { EventHandlerMetadata } from '../component-model/event-handler.decorator.js';
import type { InitialEventMetadata } from '../component-model/initial-event.decorator.js';
import type { CmpFieldMetadata } from '../component-model/cmp.decorator.js';
import type { ChildRelationMetadata } from '../component-model/child-relation.decorator.js';
import type { UsageParametersMetadata } from '../component-model/usage-parameters.decorator.js';
import type { EventTypeRegistry } from './event-type-registry.js';
import type {
  ChildRelationModel,
  HandlerModel,
  LifecycleCallback,
  SbbClass,
  SbbComponent,
} from './sbb-component.js';
import type { ServiceComponent } from './service-component.js';

const LIFECYCLE: readonly LifecycleCallback[] = [
  'sbbCreate',
  'sbbPostCreate',
  'sbbActivate',
  'sbbPassivate',
  'sbbLoad',
  'sbbStore',
  'sbbRemove',
  'sbbExceptionThrown',
  'sbbRolledBack',
];

/** By name: a bundle's design types are its own realm's constructors. */
const SERIALISABLE_DESIGN_TYPES = new Set(['String', 'Number', 'Boolean', 'BigInt', 'Array', 'Object', 'Date']);

/** Collects every method name on a class and its ancestors (not Object, of whichever realm). */
function methodNames(ctor: SbbClass): Set<string> {
  const names = new Set<string>();
  for (let proto = ctor.prototype; proto && !realmIntrinsics.isObjectPrototype(proto); proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const desc = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && desc && typeof desc.value === 'function') names.add(name);
    }
  }
  return names;
}

function metadataList<T>(key: string, ctor: SbbClass): T[] {
  return (Reflect.getMetadata(key, ctor) as T[] | undefined) ?? [];
}

/**
 * Reads the decorators' metadata and builds the runtime model. Every problem
 * is collected so a refused component reports all its reasons at once.
 */
export class ComponentScanner {
  constructor(private readonly eventTypes: EventTypeRegistry) {}

  scanService(rootClass: SbbClass): ServiceComponent {
    const serviceMeta = Reflect.getMetadata(MetadataKey.service, rootClass) as ServiceMetadata | undefined;
    if (!serviceMeta) {
      throw new SleetError(ErrorCode.INVALID_COMPONENT, `${rootClass.name} is not a service root: add @Service()`);
    }
    const sbbs = new Map<string, SbbComponent>();
    const errors: string[] = [];
    const root = this.scanSbb(rootClass, sbbs, errors, true);
    if (!Number.isInteger(serviceMeta.priority) || serviceMeta.priority < -128 || serviceMeta.priority > 127) {
      errors.push(`service priority ${serviceMeta.priority} is outside -128..127`);
    }
    if (root && ![...root.handlers.values()].some((h) => h.initial)) {
      errors.push(`root SBB ${rootClass.name} declares no @InitialEvent handler, so no event can create the service's entities`);
    }
    if (errors.length > 0 || !root) {
      throw new SleetError(
        ErrorCode.INVALID_COMPONENT,
        `service ${serviceMeta.name} is invalid:\n  - ${errors.join('\n  - ')}`,
        { details: errors },
      );
    }
    const id = { name: serviceMeta.name, vendor: serviceMeta.vendor, version: serviceMeta.version };
    return {
      id,
      key: componentKey(id),
      root,
      priority: serviceMeta.priority,
      ...(serviceMeta.addressProfileTable ? { addressProfileTable: serviceMeta.addressProfileTable } : {}),
      sbbs,
    };
  }

  private scanSbb(ctor: SbbClass, seen: Map<string, SbbComponent>, errors: string[], isRoot: boolean): SbbComponent | undefined {
    const meta = Reflect.getOwnMetadata(MetadataKey.sbb, ctor) as SbbMetadata | undefined;
    if (!meta) {
      errors.push(`${ctor.name} is not an SBB: add @Sbb()`);
      return undefined;
    }
    const id = { name: meta.name, vendor: meta.vendor, version: meta.version };
    const key = componentKey(id);
    const known = seen.get(key);
    if (known) return known;
    const where = formatComponentId('SbbID', id);
    const methods = methodNames(ctor);

    const handlers = new Map<string, HandlerModel>();
    const explicit = metadataList<EventHandlerMetadata>(MetadataKey.eventHandlers, ctor);
    const explicitMethods = new Set(explicit.map((h) => h.method));
    for (const h of explicit) {
      if (!this.eventTypes.has(h.eventType)) errors.push(`${where}.${h.method}: event type ${h.eventType.key} is not registered`);
      else handlers.set(h.eventType.key, { method: h.method, eventType: h.eventType, maskOnAttach: h.maskOnAttach });
    }
    for (const method of methods) {
      if (!/^on[A-Z]/.test(method) || explicitMethods.has(method)) continue;
      const candidates = this.eventTypes.byShortName(method.slice(2));
      if (candidates.length === 0) {
        errors.push(`${where}.${method}: no event type has the short name '${method.slice(2)}'; rename it or declare it with @EventHandler(type)`);
      } else if (candidates.length > 1) {
        errors.push(`${where}.${method}: '${method.slice(2)}' is ambiguous (${candidates.map((c) => c.key).join(', ')}); use @EventHandler(type)`);
      } else {
        const type = candidates[0]!;
        if (handlers.has(type.key)) errors.push(`${where}: two handlers for event type ${type.key}`);
        handlers.set(type.key, { method, eventType: type, maskOnAttach: false });
      }
    }
    for (const initial of metadataList<InitialEventMetadata>(MetadataKey.initialEvents, ctor)) {
      const entry = [...handlers.entries()].find(([, h]) => h.method === initial.method);
      if (!entry) {
        errors.push(`${where}.${initial.method}: @InitialEvent on a method that handles no event type`);
        continue;
      }
      if (!isRoot) errors.push(`${where}.${initial.method}: only a service's root SBB may take initial events`);
      if (initial.select.length === 0 && !initial.selector) {
        errors.push(`${where}.${initial.method}: an initial event needs at least one select variable or a selector method`);
      }
      if (initial.selector && !methods.has(initial.selector)) {
        errors.push(`${where}.${initial.method}: selector method '${initial.selector}' does not exist`);
      }
      handlers.set(entry[0], {
        ...entry[1],
        initial: { select: new Set(initial.select), ...(initial.selector ? { selector: initial.selector } : {}) },
      });
    }

    const cmpFields: string[] = [];
    for (const field of metadataList<CmpFieldMetadata>(MetadataKey.cmpFields, ctor)) {
      if (field.designType !== undefined && !SERIALISABLE_DESIGN_TYPES.has(realmIntrinsics.nameOf(field.designType) ?? '')) {
        const typeName = (field.designType as { name?: string } | undefined)?.name ?? String(field.designType);
        errors.push(`${where}.${field.name}: CMP field type ${typeName} is not serialisable (use string, number, boolean, bigint, Date, arrays or plain objects)`);
      }
      cmpFields.push(field.name);
    }

    const usageMeta = Reflect.getMetadata(MetadataKey.usageParameters, ctor) as UsageParametersMetadata | undefined;
    const lifecycle = new Set(LIFECYCLE.filter((name) => methods.has(name)));
    const childRelations: ChildRelationModel[] = [];
    const component: SbbComponent = {
      id,
      key,
      ctor,
      handlers,
      cmpFields,
      childRelations,
      usage: { counters: new Set(usageMeta?.counters ?? []), samples: new Set(usageMeta?.samples ?? []) },
      raLinks: [...new Set(metadataList<string>(MetadataKey.raLinks, ctor))],
      lifecycle,
    };
    seen.set(key, component);
    for (const rel of metadataList<ChildRelationMetadata>(MetadataKey.childRelations, ctor)) {
      const child = this.scanSbb(rel.child() as SbbClass, seen, errors, false);
      if (child) childRelations.push({ name: rel.name, child, defaultPriority: rel.defaultPriority });
    }
    return component;
  }
}
