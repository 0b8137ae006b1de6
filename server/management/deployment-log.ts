import type { ComponentId } from '../../slee/component-model/component-id.js';

/** A management operation that changes what is deployed: what a cluster records and every node applies. */
export type DeploymentOperation =
  | { kind: 'install'; unit: string; bundle: Buffer }
  | { kind: 'uninstall'; unit: string }
  | { kind: 'activate'; service: ComponentId }
  | { kind: 'deactivate'; service: ComponentId }
  | { kind: 'upgrade'; from: ComponentId; to: ComponentId };

/**
 * Where a clustered node records the deployment operations it performed, so
 * the other nodes apply them too (server/cluster's ClusterDeployment). An
 * operation is recorded only once it succeeded here.
 */
export interface DeploymentLog {
  record(operation: DeploymentOperation): Promise<void>;
}
