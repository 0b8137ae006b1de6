import type { ComponentId } from '../../slee/component-model/component-id.js';
import { componentKey } from '../../slee/component-model/component-id.js';
import { BUNDLE_FORMAT, type BundleDescriptor, type BundleDependency } from '../../slee/deployment/bundle/bundle-descriptor.js';
import type { ProjectAnalysis } from '../analysis/project-analysis.js';
import type { SleetProjectConfig } from '../project/sleet-project-config.js';

/** Where a compiled source file lands inside the bundle. */
function bundleModulePath(sourceFile: string): string {
  return `lib/${sourceFile.replace(/\\/g, '/').replace(/\.ts$/, '.js')}`;
}

const idOf = (x: ComponentId): ComponentId => ({ name: x.name, vendor: x.vendor, version: x.version });

/** Builds `sleet-bundle.json` from what the analysis found; nobody writes it by hand. */
export function generateDescriptor(config: SleetProjectConfig, analysis: ProjectAnalysis): BundleDescriptor {
  const defined = new Set(analysis.eventTypes.map(componentKey));
  const definedSpecs = new Set(analysis.profileSpecs.map(componentKey));
  const dependencies = new Map<string, BundleDependency>();
  const need = (dep: BundleDependency) => dependencies.set(`${dep.kind}:${componentKey(dep)}`, dep);
  for (const sbb of analysis.sbbs) {
    for (const e of sbb.eventTypes) if (!defined.has(componentKey(e))) need({ kind: 'event-type', ...idOf(e) });
    for (const p of sbb.profileSpecs) if (!definedSpecs.has(componentKey(p))) need({ kind: 'profile-spec', ...idOf(p) });
  }
  for (const dep of config.dependencies) need(dep);
  return {
    format: BUNDLE_FORMAT,
    unit: config.unit,
    components: {
      services: analysis.services.map((s) => ({ ...idOf(s), module: bundleModulePath(s.sourceFile), export: s.exportName, rootSbb: idOf(s.rootSbb) })),
      sbbs: analysis.sbbs.map((s) => ({
        ...idOf(s),
        module: bundleModulePath(s.sourceFile),
        export: s.exportName,
        raLinks: [...s.raLinks],
        eventTypes: s.eventTypes.map(idOf),
        profileSpecs: s.profileSpecs.map(idOf),
      })),
      eventTypes: analysis.eventTypes.map((e) => ({
        ...idOf(e),
        short: e.short,
        module: bundleModulePath(e.location!.sourceFile),
        export: e.location!.exportName,
      })),
      profileSpecs: analysis.profileSpecs.map((p) => ({ ...idOf(p), module: bundleModulePath(p.sourceFile), export: p.exportName })),
      raTypes: analysis.raTypes.map((r) => ({ ...idOf(r), module: bundleModulePath(r.sourceFile), export: r.exportName })),
      libraries: [],
    },
    dependencies: [...dependencies.values()],
    configProperties: config.configProperties,
    permissions: { builtins: [...config.permissions.builtins], packages: [...config.permissions.packages] },
  };
}
