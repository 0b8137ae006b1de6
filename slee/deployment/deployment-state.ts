import type { ComponentId } from '../component-model/component-id.js';

/** What `<dataDir>/deployment.json` holds: installed units in install order, and which services are active. */
export interface DeploymentState {
  readonly format: 1;
  readonly units: ReadonlyArray<{
    readonly id: string;
    readonly installedAt: string;
    readonly activeServices: readonly ComponentId[];
  }>;
}

export function emptyDeploymentState(): DeploymentState {
  return { format: 1, units: [] };
}
