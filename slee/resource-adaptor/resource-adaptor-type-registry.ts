import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { componentKey, formatComponentId, type ComponentId } from '../component-model/component-id.js';
import type { ConfigProperties } from './resource-adaptor.js';
import type { ResourceAdaptorType } from './resource-adaptor-type.js';

/** The resource-adaptor types a SLEE can create entities of: built in, or installed from bundles. */
export class ResourceAdaptorTypeRegistry {
  private readonly types = new Map<string, ResourceAdaptorType>();

  register(type: ResourceAdaptorType): void {
    const key = componentKey(type.id);
    if (this.types.has(key)) throw new SleetError(ErrorCode.DUPLICATE_COMPONENT, `${formatComponentId('ResourceAdaptorID', type.id)} is already installed`);
    this.types.set(key, type);
  }

  unregister(id: ComponentId): boolean {
    return this.types.delete(componentKey(id));
  }

  get(id: ComponentId): ResourceAdaptorType {
    const type = this.types.get(componentKey(id));
    if (!type) throw new SleetError(ErrorCode.UNKNOWN_COMPONENT, `${formatComponentId('ResourceAdaptorID', id)} is not installed`);
    return type;
  }

  /** Finds a type by name alone when only one version is installed. */
  byName(name: string): ResourceAdaptorType | undefined {
    const matches = [...this.types.values()].filter((t) => t.id.name === name);
    return matches.length === 1 ? matches[0] : undefined;
  }

  list(): ResourceAdaptorType[] {
    return [...this.types.values()];
  }

  /** Fills defaults and checks types; lists every problem at once. */
  resolveConfig(id: ComponentId, config: ConfigProperties): ConfigProperties {
    const type = this.get(id);
    const resolved: ConfigProperties = {};
    const errors: string[] = [];
    const known = new Set(type.configProperties.map((p) => p.name));
    for (const name of Object.keys(config)) if (!known.has(name)) errors.push(`unknown configuration property '${name}'`);
    for (const p of type.configProperties) {
      const value = config[p.name] ?? p.default;
      if (value === undefined) {
        errors.push(`configuration property '${p.name}' is required`);
        continue;
      }
      if (typeof value !== p.type) errors.push(`configuration property '${p.name}' must be a ${p.type}, got ${typeof value}`);
      resolved[p.name] = value;
    }
    if (errors.length > 0) {
      throw new SleetError(ErrorCode.INVALID_COMPONENT, `invalid configuration for ${formatComponentId('ResourceAdaptorID', id)}: ${errors.join('; ')}`, {
        details: errors,
      });
    }
    return resolved;
  }
}
