import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { hideStagingDir } from './bundle/hide-staging-dir.js';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode, type SleetErrorCode } from '../../base/errors/error-codes.js';
import { componentKey, type ComponentId } from '../component-model/component-id.js';
import type { Slee } from '../container/slee.js';
import type { ServiceState } from '../container/slee-state.js';
import type { ResourceAdaptorTypeRegistry } from '../resource-adaptor/resource-adaptor-type-registry.js';
import { StateFile } from '../persistence/state-file.js';
import { PRIVATE_DIR_MODE, makePrivate } from '../persistence/make-private.js';
import { ComponentScanner } from './component-scanner.js';
import { EventTypeRegistry } from './event-type-registry.js';
import type { BundleDescriptor, ComponentKind } from './bundle/bundle-descriptor.js';
import { readBundleDescriptor } from './bundle/parse-bundle-descriptor.js';
import { checkBundleTree, isDirectory, unpackBundle } from './bundle/bundle-archive.js';
import { checkBundleCode } from './bundle/check-bundle-code.js';
import { loadBundleCode } from './bundle/load-bundle-code.js';
import type { LoadedBundle } from './bundle/loaded-bundle.js';
import type { ProfileSpecSupport } from './profile-spec-support.js';
import type { ComponentInfo, DeployableUnitInfo } from './deployable-unit-info.js';
import { emptyDeploymentState, type DeploymentState } from './deployment-state.js';

export interface DeploymentManagerOptions {
  slee: Slee;
  raTypes: ResourceAdaptorTypeRegistry;
  /** Lets bundles carry profile specifications; without it a bundle that declares one is refused. */
  profileSpecs?: ProfileSpecSupport;
  dataDir: string;
  logger: Logger;
}

interface InstalledUnit {
  readonly info: DeployableUnitInfo;
  readonly descriptor: BundleDescriptor;
  readonly dir: string;
  readonly code: LoadedBundle;
  readonly services: readonly ComponentId[];
}

interface Refusal {
  readonly code: SleetErrorCode;
  readonly reason: string;
}

type PersistedUnit = DeploymentState['units'][number];

function idText(id: ComponentId): string {
  return `${id.name}/${id.vendor}/${id.version}`;
}

/** Every component a descriptor declares, with its kind. */
function componentsOf(d: BundleDescriptor): Array<{ kind: ComponentKind; id: ComponentId }> {
  const c = d.components;
  const id = (x: ComponentId): ComponentId => ({ name: x.name, vendor: x.vendor, version: x.version });
  return [
    ...c.services.map((x) => ({ kind: 'service' as const, id: id(x) })),
    ...c.sbbs.map((x) => ({ kind: 'sbb' as const, id: id(x) })),
    ...c.eventTypes.map((x) => ({ kind: 'event-type' as const, id: id(x) })),
    ...c.profileSpecs.map((x) => ({ kind: 'profile-spec' as const, id: id(x) })),
    ...c.raTypes.map((x) => ({ kind: 'ra-type' as const, id: id(x) })),
    ...c.libraries.map((x) => ({ kind: 'library' as const, id: id(x) })),
  ];
}

/**
 * Installs and uninstalls deployable units (bundles) on a running SLEE and
 * remembers, in `<dataDir>/deployment.json`, what is installed and which
 * services are active, so `restore()` brings a restarted node back.
 * Activation itself goes through the Slee; this only listens.
 */
export class DeploymentManager {
  private readonly slee: Slee;
  private readonly raTypes: ResourceAdaptorTypeRegistry;
  private readonly profileSpecSupport: ProfileSpecSupport | undefined;
  private readonly logger: Logger;
  private readonly dataDir: string;
  private readonly units = new Map<string, InstalledUnit>();
  private readonly specs = new Map<string, Function>();
  /** Event types once registered by units now gone: the kernel keeps them, but a new unit may define them again. */
  private readonly releasedEventTypes = new Set<string>();
  /** Units in the state file that could not be restored; kept so a fix and restart can bring them back. */
  private unrestored: PersistedUnit[] = [];
  private readonly state: StateFile<DeploymentState>;
  private restoring = false;
  private lastWrite: Promise<void> = Promise.resolve();

  private readonly onServiceStateChanged = ({ service }: { service: ComponentId; from: ServiceState; to: ServiceState }): void => {
    if (this.restoring) return;
    const key = componentKey(service);
    // persist() logs its own failure: nothing here could act on it.
    if ([...this.units.values()].some((u) => u.services.some((s) => componentKey(s) === key))) void this.persist();
  };

  constructor(options: DeploymentManagerOptions) {
    this.slee = options.slee;
    this.raTypes = options.raTypes;
    this.profileSpecSupport = options.profileSpecs;
    this.logger = options.logger;
    this.dataDir = options.dataDir;
    this.state = new StateFile(join(this.dataDir, 'deployment.json'), emptyDeploymentState);
    this.slee.on('serviceStateChanged', this.onServiceStateChanged);
  }

  /** The id a unit gets: `<vendor>.<name>@<version>`. */
  static unitId(unit: ComponentId): string {
    return `${unit.vendor}.${unit.name}@${unit.version}`;
  }

  /**
   * Installs a bundle (directory, `.tgz` path or `.tgz` bytes). Everything
   * that can be checked without running the bundle's code is checked first
   * (archive layout, descriptor, module files, required modules against the
   * declared permissions, conflicts and dependencies); only then is its code
   * loaded, in a realm of its own. On refusal the SleetError lists every
   * reason in `details` and the SLEE is untouched.
   */
  async install(source: string | Buffer): Promise<DeployableUnitInfo> {
    await mkdir(join(this.dataDir, 'staging'), { recursive: true, mode: PRIVATE_DIR_MODE });
    const staging = await mkdtemp(join(this.dataDir, 'staging', 'unit-'));
    try {
      if (Buffer.isBuffer(source)) await unpackBundle(source, staging);
      else if (await isDirectory(source)) await cp(source, staging, { recursive: true });
      else await unpackBundle(source, staging);
      // Links are refused before anything follows them (chmod would).
      await checkBundleTree(staging);
      // Archives carry their own modes (0644, 0755): the installed copy is the node's alone.
      await makePrivate(staging, { recursive: true });
      const descriptor = await readBundleDescriptor(staging);
      const id = DeploymentManager.unitId(descriptor.unit);
      this.refuseIfAny(id, [...(await checkBundleCode(staging, descriptor)), ...this.verify(id, descriptor)]);
      const dir = this.unitDir(id);
      await mkdir(join(this.dataDir, 'units'), { recursive: true, mode: PRIVATE_DIR_MODE });
      await rm(dir, { recursive: true, force: true });
      await rename(staging, dir);
      let unit: InstalledUnit;
      try {
        unit = this.deploy(id, descriptor, dir, new Date().toISOString());
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
      this.logger.info({ unit: id }, 'deployable unit installed');
      await this.persist();
      return unit.info;
    } catch (err) {
      throw hideStagingDir(err, staging);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  /** Removes a unit whose services are all INACTIVE and whose components no other unit depends on. */
  async uninstall(unitId: string): Promise<void> {
    const unit = this.unit(unitId);
    const refusals: Refusal[] = [];
    const provided = new Set(unit.info.components.map((c) => `${c.kind}:${componentKey(c.id)}`));
    for (const other of this.units.values()) {
      if (other === unit) continue;
      for (const dep of other.descriptor.dependencies) {
        if (provided.has(`${dep.kind}:${componentKey(dep)}`)) {
          refusals.push({ code: ErrorCode.BUNDLE_IN_USE, reason: `unit ${other.info.id} depends on ${dep.kind} ${idText(dep)}` });
        }
      }
    }
    for (const service of unit.services) {
      const state = this.slee.serviceState(service);
      if (state !== 'INACTIVE')
        refusals.push({ code: ErrorCode.BUNDLE_IN_USE, reason: `service ${idText(service)} is ${state}; deactivate it and let it drain first` });
    }
    for (const table of this.profileSpecSupport?.listTables() ?? []) {
      if (unit.code.profileSpecs.has(componentKey(table.spec))) {
        refusals.push({ code: ErrorCode.BUNDLE_IN_USE, reason: `profile table '${table.name}' uses profile specification ${idText(table.spec)}` });
      }
    }
    if (refusals.length > 0) throw this.refusal(`cannot uninstall ${unitId}`, refusals);

    for (const service of unit.services) this.slee.uninstallService(service);
    for (const type of unit.code.raTypes) this.raTypes.unregister(type.id);
    for (const key of unit.code.profileSpecs.keys()) this.specs.delete(key);
    for (const type of unit.code.eventTypes) this.releasedEventTypes.add(type.key);
    unit.code.loader.dispose();
    this.units.delete(unitId);
    await rm(unit.dir, { recursive: true, force: true });
    this.logger.info({ unit: unitId }, 'deployable unit uninstalled');
    await this.persist();
  }

  listUnits(): DeployableUnitInfo[] {
    return [...this.units.values()].map((u) => u.info);
  }

  listComponents(): ComponentInfo[] {
    return [...this.units.values()].flatMap((u) => u.info.components);
  }

  descriptor(unitId: string): BundleDescriptor {
    return this.unit(unitId).descriptor;
  }

  /** The class of a profile specification installed from a bundle, to create profile tables with. */
  profileSpec(id: ComponentId): Function | undefined {
    return this.specs.get(componentKey(id));
  }

  /**
   * Reinstalls the units recorded in `deployment.json` (in install order)
   * and reactivates the services that were active. A unit that cannot be
   * restored is logged and kept in the file for a later restart.
   */
  async restore(): Promise<void> {
    const saved = await this.state.read();
    this.restoring = true;
    this.unrestored = [];
    try {
      for (const record of saved.units) {
        if (this.units.has(record.id)) continue;
        try {
          const dir = this.unitDir(record.id);
          await checkBundleTree(dir);
          const descriptor = await readBundleDescriptor(dir);
          this.refuseIfAny(record.id, [...(await checkBundleCode(dir, descriptor)), ...this.verify(record.id, descriptor)]);
          const unit = this.deploy(record.id, descriptor, dir, record.installedAt);
          const keys = new Set(unit.services.map(componentKey));
          for (const service of record.activeServices) if (keys.has(componentKey(service))) this.slee.activateService(service);
        } catch (err) {
          this.logger.error({ unit: record.id, err }, 'deployable unit could not be restored');
          this.unrestored.push(record);
        }
      }
    } finally {
      this.restoring = false;
    }
    await this.persist();
  }

  /** Resolves once every state change so far is on disk. */
  flush(): Promise<void> {
    return this.lastWrite;
  }

  /** Stops listening to the SLEE (before dropping the manager). */
  close(): void {
    this.slee.off('serviceStateChanged', this.onServiceStateChanged);
  }

  // ---- internals ------------------------------------------------------------

  private unit(unitId: string): InstalledUnit {
    const unit = this.units.get(unitId);
    if (!unit) throw new SleetError(ErrorCode.UNKNOWN_UNIT, `no deployable unit '${unitId}' is installed`);
    return unit;
  }

  private unitDir(unitId: string): string {
    return join(this.dataDir, 'units', unitId);
  }

  /** Which unit provides a component, if any. */
  private providerOf(kind: ComponentKind, id: ComponentId): InstalledUnit | undefined {
    const key = componentKey(id);
    return [...this.units.values()].find((u) => u.info.components.some((c) => c.kind === kind && componentKey(c.id) === key));
  }

  private isAvailable(kind: ComponentKind, id: ComponentId): boolean {
    if (this.providerOf(kind, id)) return true;
    switch (kind) {
      case 'event-type':
        return this.slee.kernel.eventTypes.has(id);
      case 'ra-type':
        return this.raTypes.list().some((t) => componentKey(t.id) === componentKey(id));
      case 'service':
        return this.slee.listServices().some((s) => componentKey(s.id) === componentKey(id));
      default:
        return false;
    }
  }

  private installedVersions(kind: ComponentKind, id: ComponentId): string[] {
    const versions = new Set<string>();
    for (const c of this.listComponents()) if (c.kind === kind && c.id.name === id.name && c.id.vendor === id.vendor) versions.add(c.id.version);
    if (kind === 'event-type') for (const t of this.slee.kernel.eventTypes.list()) if (t.name === id.name && t.vendor === id.vendor) versions.add(t.version);
    if (kind === 'ra-type') for (const t of this.raTypes.list()) if (t.id.name === id.name && t.id.vendor === id.vendor) versions.add(t.id.version);
    return [...versions];
  }

  /** The checks that need no code: conflicts, dependencies and link names. */
  private verify(unitId: string, d: BundleDescriptor): Refusal[] {
    const refusals: Refusal[] = [];
    const conflict = (reason: string) => refusals.push({ code: ErrorCode.BUNDLE_VERSION_CONFLICT, reason });
    if (this.units.has(unitId)) conflict(`unit ${unitId} is already installed`);
    for (const { kind, id } of componentsOf(d)) {
      const owner = this.providerOf(kind, id);
      if (owner) conflict(`${kind} ${idText(id)} is already installed by unit ${owner.info.id}`);
      else if (kind === 'event-type' && this.slee.kernel.eventTypes.has(id) && !this.releasedEventTypes.has(componentKey(id))) {
        conflict(`event-type ${idText(id)} is already defined by the SLEE or a resource adaptor`);
      } else if ((kind === 'ra-type' || kind === 'service') && this.isAvailable(kind, id)) conflict(`${kind} ${idText(id)} is already installed`);
    }
    for (const dep of d.dependencies) {
      if (this.isAvailable(dep.kind, dep)) continue;
      const versions = this.installedVersions(dep.kind, dep);
      refusals.push({
        code: ErrorCode.BUNDLE_DEPENDENCY_MISSING,
        reason: `dependency ${dep.kind} ${idText(dep)} is not installed${versions.length > 0 ? ` (installed versions: ${versions.join(', ')})` : ''}`,
      });
    }
    const bound = new Set(this.slee.listLinkNames().map((l) => l.link));
    for (const sbb of d.components.sbbs) {
      for (const link of sbb.raLinks) {
        if (!bound.has(link)) {
          refusals.push({
            code: ErrorCode.BUNDLE_DEPENDENCY_MISSING,
            reason: `SBB ${idText(sbb)} needs resource-adaptor link name '${link}', which is not bound`,
          });
        }
      }
    }
    return refusals;
  }

  private refuseIfAny(unitId: string, refusals: Refusal[]): void {
    if (refusals.length > 0) throw this.refusal(`cannot install ${unitId}`, refusals);
  }

  /** One error carrying every reason; its code is the first reason's. */
  private refusal(what: string, refusals: Refusal[]): SleetError {
    const details = refusals.map((r) => r.reason);
    return new SleetError(refusals[0]!.code, `${what}:\n  - ${details.join('\n  - ')}`, { details });
  }

  /**
   * Loads the unit's code from its final directory, checks it against the
   * descriptor and scans its services, then registers everything. If any
   * step fails, whatever was registered is undone.
   */
  private deploy(id: string, descriptor: BundleDescriptor, dir: string, installedAt: string): InstalledUnit {
    const errors: string[] = [];
    const code = loadBundleCode(dir, descriptor, errors, this.profileSpecSupport);
    if (errors.length === 0) {
      const types = new EventTypeRegistry();
      for (const t of [...this.slee.kernel.eventTypes.list(), ...code.eventTypes]) types.register(t);
      const scanner = new ComponentScanner(types);
      for (const s of code.services) {
        try {
          scanner.scanService(s.rootClass);
        } catch (err) {
          const details = SleetError.is(err) && Array.isArray(err.details) ? (err.details as string[]) : [(err as Error).message];
          errors.push(...details.map((d) => `service ${idText(s.entry)}: ${d}`));
        }
      }
    }
    if (errors.length > 0) {
      code.loader.dispose();
      throw this.refusal(
        `cannot install ${id}`,
        errors.map((reason) => ({ code: ErrorCode.BUNDLE_INVALID, reason })),
      );
    }

    const services: ComponentId[] = [];
    const raTypes: ComponentId[] = [];
    try {
      for (const type of code.eventTypes) this.slee.registerEventType(type);
      for (const type of code.raTypes) {
        this.raTypes.register(type);
        raTypes.push(type.id);
      }
      for (const s of code.services) services.push(this.slee.installService(s.rootClass));
    } catch (err) {
      for (const service of services) this.slee.uninstallService(service);
      for (const type of raTypes) this.raTypes.unregister(type);
      code.loader.dispose();
      throw err;
    }
    for (const [key, spec] of code.profileSpecs) this.specs.set(key, spec);
    for (const type of code.eventTypes) this.releasedEventTypes.delete(type.key);

    const info: DeployableUnitInfo = {
      id,
      ...descriptor.unit,
      installedAt,
      components: componentsOf(descriptor).map((c) => ({ ...c, unitId: id })),
    };
    const unit: InstalledUnit = { info, descriptor, dir, code, services };
    this.units.set(id, unit);
    return unit;
  }

  private persist(): Promise<void> {
    const units: PersistedUnit[] = [...this.units.values()].map((u) => ({
      id: u.info.id,
      installedAt: u.info.installedAt,
      activeServices: u.services.filter((s) => this.slee.serviceState(s) === 'ACTIVE'),
    }));
    const write = this.state.write({ format: 1, units: [...units, ...this.unrestored.filter((r) => !this.units.has(r.id))] });
    this.lastWrite = write.catch((err: unknown) => this.logger.error({ err }, 'deployment state could not be written'));
    return write;
  }
}
