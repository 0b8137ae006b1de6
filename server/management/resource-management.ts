import type { Slee } from '../../slee/container/slee.js';
import type { ComponentId } from '../../slee/component-model/component-id.js';
import type { ConfigProperties } from '../../slee/resource-adaptor/resource-adaptor.js';
import type { ResourceAdaptorTypeRegistry } from '../../slee/resource-adaptor/resource-adaptor-type-registry.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { LinkInfo, RaEntityInfo, RaTypeInfo } from './api/schemas.js';
import { resolveComponentRef, type ComponentRef } from './component-ref.js';
import type { PersistedResources } from './persisted-resources.js';

type PersistedEntity = PersistedResources['entities'][number];

/**
 * JSLEE's ResourceManagementMBean: resource-adaptor types, entities created
 * from them with checked configuration, and link names. Every change is
 * reported through `onChange` so the node can persist it.
 */
export class ResourceManagement {
  /** The type each entity was created from: the SLEE itself only knows the adaptor object. */
  private readonly entityTypes = new Map<string, ComponentId>();

  constructor(
    private readonly slee: Slee,
    private readonly types: ResourceAdaptorTypeRegistry,
    private readonly onChange: () => Promise<void> = async () => {},
  ) {}

  listTypes(): RaTypeInfo[] {
    return this.types.list().map((t) => ({ id: { ...t.id }, configProperties: t.configProperties.map((p) => ({ ...p })) }));
  }

  listEntities(): RaEntityInfo[] {
    return this.slee.listResourceAdaptorEntities().map((e) => {
      const type = this.entityTypes.get(e.name);
      return { name: e.name, type: type ? { ...type } : null, state: e.state, config: { ...e.config }, activities: e.activities };
    });
  }

  getEntity(name: string): RaEntityInfo {
    const entity = this.listEntities().find((e) => e.name === name);
    if (!entity) throw new SleetError(ErrorCode.UNKNOWN_COMPONENT, `no resource-adaptor entity named '${name}'`);
    return entity;
  }

  /** Creates an INACTIVE entity of a type; the properties are checked and completed with the type's defaults. */
  async createEntity(name: string, typeRef: ComponentRef, properties: ConfigProperties = {}): Promise<RaEntityInfo> {
    await this.create(name, this.resolveType(typeRef), properties);
    await this.onChange();
    return this.getEntity(name);
  }

  async activateEntity(name: string): Promise<RaEntityInfo> {
    await this.slee.activateResourceAdaptorEntity(name);
    await this.onChange();
    return this.getEntity(name);
  }

  async deactivateEntity(name: string): Promise<RaEntityInfo> {
    await this.slee.deactivateResourceAdaptorEntity(name);
    await this.onChange();
    return this.getEntity(name);
  }

  /** Merges the properties into the entity's configuration, checked against its type. */
  async reconfigureEntity(name: string, properties: ConfigProperties): Promise<RaEntityInfo> {
    const current = this.getEntity(name);
    const config = current.type ? this.types.resolveConfig(current.type, { ...current.config, ...properties }) : properties;
    await this.slee.reconfigureResourceAdaptorEntity(name, config);
    await this.onChange();
    return this.getEntity(name);
  }

  async removeEntity(name: string): Promise<void> {
    await this.slee.removeResourceAdaptorEntity(name);
    this.entityTypes.delete(name);
    await this.onChange();
  }

  listLinks(): LinkInfo[] {
    return this.slee.listLinkNames();
  }

  async bindLink(link: string, entity: string): Promise<LinkInfo> {
    this.slee.bindLinkName(link, entity);
    await this.onChange();
    return { link, entity };
  }

  async unbindLink(link: string): Promise<void> {
    if (!this.listLinks().some((l) => l.link === link)) throw new SleetError(ErrorCode.NAME_NOT_BOUND, `link name '${link}' is not bound`);
    this.slee.unbindLinkName(link);
    await this.onChange();
  }

  /** The entities made from registered types and every link, for persistence. */
  snapshot(): Pick<PersistedResources, 'entities' | 'links'> {
    const entities: PersistedEntity[] = [];
    for (const e of this.listEntities()) {
      if (e.type) entities.push({ name: e.name, type: e.type, config: e.config, active: e.state !== 'INACTIVE' });
    }
    return { entities, links: this.listLinks() };
  }

  /**
   * Recreates persisted entities and links. Those whose type (or entity) is
   * not available yet are returned, to retry once bundles are restored.
   * Entities that were active are named in `toActivate` rather than
   * activated, so no listener opens before the services are back.
   */
  async restore(state: Pick<PersistedResources, 'entities' | 'links'>, toActivate: string[]): Promise<Pick<PersistedResources, 'entities' | 'links'>> {
    const known = new Set(this.slee.listResourceAdaptorEntities().map((e) => e.name));
    const pending: PersistedResources = { entities: [], links: [], traces: [] };
    for (const e of state.entities) {
      if (known.has(e.name)) continue;
      if (!this.types.list().some((t) => t.id.name === e.type.name && t.id.vendor === e.type.vendor && t.id.version === e.type.version)) {
        pending.entities.push(e);
        continue;
      }
      await this.create(e.name, e.type, e.config);
      if (e.active) toActivate.push(e.name);
      known.add(e.name);
    }
    const bound = new Set(this.listLinks().map((l) => l.link));
    for (const l of state.links) {
      if (bound.has(l.link)) continue;
      if (known.has(l.entity)) this.slee.bindLinkName(l.link, l.entity);
      else pending.links.push(l);
    }
    return pending;
  }

  private async create(name: string, typeId: ComponentId, properties: ConfigProperties): Promise<void> {
    const type = this.types.get(typeId);
    const config = this.types.resolveConfig(type.id, properties);
    await this.slee.createResourceAdaptorEntity(name, type.create(config), config);
    this.entityTypes.set(name, type.id);
  }

  private resolveType(ref: ComponentRef): ComponentId {
    return resolveComponentRef(
      'resource-adaptor type',
      ref,
      this.types.list().map((t) => t.id),
    );
  }
}
