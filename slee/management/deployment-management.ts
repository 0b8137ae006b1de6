import { SleetError } from '../errors/sleet-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import type { DeployableUnitRecord, DeployedComponentRecord } from './api/schemas.js';
import { toJson } from './api/to-json.js';

/** The part of the DeploymentManager that management drives. */
export interface DeploymentBackend {
  install(source: string | Buffer): Promise<unknown>;
  uninstall(unitId: string): Promise<void>;
  listUnits(): readonly unknown[];
  listComponents(): readonly unknown[];
  descriptor(unitId: string): unknown;
}

/** JSLEE's DeploymentMBean: install and uninstall deployable units (bundles), list units and components. */
export class DeploymentManagement {
  constructor(private readonly backend: DeploymentBackend | null) {}

  /** Installs a bundle: a path to a .tgz or directory, or the .tgz bytes. */
  async install(source: string | Buffer): Promise<DeployableUnitRecord> {
    return toJson(await this.deployment().install(source));
  }

  async uninstall(unitId: string): Promise<void> {
    await this.deployment().uninstall(unitId);
  }

  listUnits(): DeployableUnitRecord[] {
    return toJson(this.deployment().listUnits());
  }

  listComponents(): DeployedComponentRecord[] {
    return toJson(this.deployment().listComponents());
  }

  descriptor(unitId: string): unknown {
    return toJson(this.deployment().descriptor(unitId));
  }

  private deployment(): DeploymentBackend {
    if (!this.backend) throw new SleetError(ErrorCode.MANAGEMENT_UNAVAILABLE, 'this SLEE has no deployment subsystem');
    return this.backend;
  }
}
