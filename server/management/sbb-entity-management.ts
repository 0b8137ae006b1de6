import type { Slee } from '../../slee/container/slee.js';
import type { SbbEntity } from '../../slee/entity/sbb-entity.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { SbbEntityInfo, SbbEntitySummary } from './api/schemas.js';
import type { ComponentRef } from './component-ref.js';
import type { ServiceManagement } from './service-management.js';
import { sameComponent } from './component-ref.js';
import { toJson } from './api/to-json.js';

/** Inspection of SBB entities: one entity in full, or the entities of a service. */
export class SbbEntityManagement {
  constructor(
    private readonly slee: Slee,
    private readonly services: ServiceManagement,
  ) {}

  get(id: string): SbbEntityInfo {
    const entity = this.slee.kernel.entities.get(id);
    if (!entity) throw new SleetError(ErrorCode.NO_SUCH_ENTITY, `no SBB entity '${id}'`);
    const children: Record<string, string[]> = {};
    for (const [relation, set] of entity.children ?? []) children[relation] = [...set].map((c) => c.id);
    return {
      ...summary(entity),
      relation: entity.relation,
      convergenceName: entity.convergenceName,
      cmp: toJson<Record<string, unknown>>(entity.cmp),
      children,
      attachments: [...entity.attachments],
    };
  }

  listByService(ref: ComponentRef): SbbEntitySummary[] {
    const service = this.services.resolve(ref);
    return [...this.slee.kernel.entities.values()].filter((e) => sameComponent(e.service.id, service)).map(summary);
  }
}

function summary(entity: SbbEntity): SbbEntitySummary {
  return {
    id: entity.id,
    sbb: { ...entity.component.id },
    service: { ...entity.service.id },
    parent: entity.parent?.id ?? null,
    priority: entity.priority,
    attachments: entity.attachments.size,
  };
}
