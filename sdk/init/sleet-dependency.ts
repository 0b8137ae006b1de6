import { sleetPackageRoot } from '../host/sleet-host.js';

/** Sleet as the registry is to carry it (a scoped name nobody owns yet; the registry's 'sleet' is another package), installed under the name services import. */
export const REGISTRY_SLEET = 'npm:@sleet-slee/sleet@^0.1.0';

/**
 * The default dependency of a new project on Sleet: this SDK's own checkout,
 * so a project made from a clone builds, tests and deploys against it with
 * no registry at all.
 */
export function localSleetDependency(): string {
  return `file:${sleetPackageRoot}`;
}
