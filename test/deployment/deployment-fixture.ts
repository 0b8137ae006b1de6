import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineEventType } from '../../slee/component-model/event-type.js';
import type { ComponentId } from '../../slee/component-model/component-id.js';
import type { Slee } from '../../slee/container/slee.js';
import type { SbbEntity } from '../../slee/entity/sbb-entity.js';
import { ResourceAdaptorTypeRegistry } from '../../slee/resource-adaptor/resource-adaptor-type-registry.js';
import { DeploymentManager } from '../../slee/deployment/deployment-manager.js';
import { startCoreFixture, type CoreFixture } from '../helpers/core-fixture.js';
import { silentLogger } from '../helpers/silent-logger.js';

/** The host-side twin of the tick-events bundle's event type: same id, so the kernel routes it to the bundle's handlers. */
export const TickEvent = defineEventType<{ n: number }>('acme.Tick', { vendor: 'acme', version: '1.0', short: 'Tick' });

export const counterV1: ComponentId = { name: 'CounterService', vendor: 'acme', version: '1.0' };
export const counterV2: ComponentId = { name: 'CounterService', vendor: 'acme', version: '2.0' };

export interface DeploymentFixture extends CoreFixture {
  manager: DeploymentManager;
  dataDir: string;
}

/** A running SLEE (direct RA bound to 'direct') with a deployment manager on a data dir. */
export async function startDeploymentFixture(dataDir?: string): Promise<DeploymentFixture> {
  const core = await startCoreFixture();
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'sleet-deploy-')));
  const manager = new DeploymentManager({ slee: core.slee, raTypes: new ResourceAdaptorTypeRegistry(), dataDir: dir, logger: silentLogger() });
  return {
    ...core,
    manager,
    dataDir: dir,
    close: async () => {
      manager.close();
      await core.close();
    },
  };
}

/** Root entities of a service version, with their CMP state. */
export function rootsOf(slee: Slee, service: ComponentId): SbbEntity[] {
  return [...slee.kernel.entities.values()].filter((e) => e.parent === null && e.service.id.name === service.name && e.service.id.version === service.version);
}
