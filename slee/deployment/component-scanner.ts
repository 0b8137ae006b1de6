import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
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
import { InvalidComponentError, type ComponentProblem } from './invalid-component-error.js';
import {
  cmpViolation,
  handlerShortName,
  initialWithoutHandlerViolation,
  matchShortName,
  rootInitialEventViolation,
  selectionViolations,
  servicePriorityViolation,
} from '../component-model/component-rules.js';
import type { ChildRelationModel, HandlerModel, LifecycleCallback, SbbClass, SbbComponent } from './sbb-component.js';
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

/** The `@Injectable` classes an SBB's constructor takes, and theirs in turn, each once. */
function injectablesOf(ctor: SbbClass, found: SbbClass[] = []): SbbClass[] {
  for (const param of (Reflect.getMetadata('design:paramtypes', ctor) as unknown[] | undefined) ?? []) {
    if (typeof param !== 'function' || found.includes(param as SbbClass) || Reflect.getOwnMetadata(MetadataKey.injectable, param) !== true) continue;
    found.push(param as SbbClass);
    injectablesOf(param as SbbClass, found);
  }
  return found;
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
    const errors: ComponentProblem[] = [];
    const root = this.scanSbb(rootClass, sbbs, errors, true);
    const priority = servicePriorityViolation(serviceMeta.priority);
    if (priority) errors.push(priority);
    const initial =
      root &&
      rootInitialEventViolation(
        rootClass.name,
        [...root.handlers.values()].some((h) => h.initial),
      );
    if (initial) errors.push(initial);
    if (errors.length > 0 || !root) throw new InvalidComponentError(`service ${serviceMeta.name}`, errors);
    const id = { name: serviceMeta.name, vendor: serviceMeta.vendor, version: serviceMeta.version };
    return {
      id,
      key: componentKey(id),
      root,
      priority: serviceMeta.priority,
      skipAnswered: serviceMeta.skipAnswered === true,
      ...(serviceMeta.addressProfileTable ? { addressProfileTable: serviceMeta.addressProfileTable } : {}),
      sbbs,
    };
  }

  private scanSbb(ctor: SbbClass, seen: Map<string, SbbComponent>, problems: ComponentProblem[], isRoot: boolean): SbbComponent | undefined {
    const errors = {
      push: (message: string) => problems.push({ message }),
      violation: (at: string, v: ComponentProblem) => problems.push({ ...v, message: `${at}: ${v.message}` }),
    };
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
      const short = handlerShortName(method);
      if (short === undefined || explicitMethods.has(method)) continue;
      const match = matchShortName(method, this.eventTypes.byShortName(short), 'rename it or declare it with @EventHandler(type)');
      if ('violation' in match) {
        errors.violation(where, match.violation);
        continue;
      }
      if (handlers.has(match.type.key)) errors.push(`${where}: two handlers for event type ${match.type.key}`);
      handlers.set(match.type.key, { method, eventType: match.type, maskOnAttach: false });
    }
    for (const initial of metadataList<InitialEventMetadata>(MetadataKey.initialEvents, ctor)) {
      // A method may handle several event types (@EventHandler([...])): each is initial.
      const entries = [...handlers.entries()].filter(([, h]) => h.method === initial.method);
      if (entries.length === 0) {
        errors.violation(where, initialWithoutHandlerViolation(initial.method));
        continue;
      }
      if (!isRoot) errors.push(`${where}.${initial.method}: only a service's root SBB may take initial events`);
      for (const v of selectionViolations(initial, (name) => methods.has(name))) errors.violation(`${where}.${initial.method}`, v);
      for (const [key, handler] of entries) {
        handlers.set(key, { ...handler, initial: { select: new Set(initial.select), ...(initial.selector ? { selector: initial.selector } : {}) } });
      }
    }

    const cmpFields: string[] = [];
    for (const field of metadataList<CmpFieldMetadata>(MetadataKey.cmpFields, ctor)) {
      if (field.designType !== undefined && !SERIALISABLE_DESIGN_TYPES.has(realmIntrinsics.nameOf(field.designType) ?? '')) {
        const typeName = (field.designType as { name?: string } | undefined)?.name ?? String(field.designType);
        errors.violation(where, cmpViolation(field.name, typeName, `${typeName} is not plain data`));
      }
      cmpFields.push(field.name);
    }

    const injectables = injectablesOf(ctor);
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
      raLinks: [...new Set([ctor, ...injectables].flatMap((c) => metadataList<string>(MetadataKey.raLinks, c)))],
      injectables,
      lifecycle,
      maskedOnAttach: [...handlers.values()].filter((h) => h.maskOnAttach).map((h) => h.eventType.key),
    };
    seen.set(key, component);
    for (const rel of metadataList<ChildRelationMetadata>(MetadataKey.childRelations, ctor)) {
      const child = this.scanSbb(rel.child() as SbbClass, seen, problems, false);
      if (child) childRelations.push({ name: rel.name, child, defaultPriority: rel.defaultPriority });
    }
    return component;
  }
}
