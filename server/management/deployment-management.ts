import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDirectory, packBundle } from '../../slee/deployment/bundle/bundle-archive.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { DeployableUnitRecord, DeployedComponentRecord } from './api/schemas.js';
import { toJson } from './api/to-json.js';
import type { DeploymentLog } from './deployment-log.js';

/** The part of the DeploymentManager that management drives. */
export interface DeploymentBackend {
  install(source: string | Buffer): Promise<{ id: string }>;
  uninstall(unitId: string): Promise<void>;
  listUnits(): readonly unknown[];
  listComponents(): readonly unknown[];
  descriptor(unitId: string): unknown;
}

/** JSLEE's DeploymentMBean: install and uninstall deployable units (bundles), list units and components. */
export class DeploymentManagement {
  constructor(
    private readonly backend: DeploymentBackend | null,
    private readonly log?: DeploymentLog,
  ) {}

  /** Installs a bundle: a path to a .tgz or directory, or the .tgz bytes. In a cluster, every node installs it. */
  async install(source: string | Buffer): Promise<DeployableUnitRecord> {
    // The cluster records the bytes: read (or pack) them before installing, so a source that goes away meanwhile is not a problem.
    const bundle = this.log ? await bundleBytes(source) : undefined;
    const unit = await this.deployment().install(bundle ?? source);
    if (bundle) await this.log!.record({ kind: 'install', unit: unit.id, bundle });
    return toJson(unit);
  }

  async uninstall(unitId: string): Promise<void> {
    await this.deployment().uninstall(unitId);
    await this.log?.record({ kind: 'uninstall', unit: unitId });
  }

  /** Installs on this node only: what a node applying another's operation does. */
  async installHere(bundle: Buffer): Promise<void> {
    await this.deployment().install(bundle);
  }

  async uninstallHere(unitId: string): Promise<void> {
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

/** A bundle's `.tgz` bytes, from bytes, a `.tgz` path or a bundle directory. */
async function bundleBytes(source: string | Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(source)) return source;
  if (!(await isDirectory(source))) return readFile(source);
  const dir = await mkdtemp(join(tmpdir(), 'sleet-bundle-'));
  try {
    const file = join(dir, 'bundle.tgz');
    await packBundle(source, file);
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
