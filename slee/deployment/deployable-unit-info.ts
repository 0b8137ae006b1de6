import type { ComponentId } from '../component-model/component-id.js';
import type { ComponentKind } from './bundle/bundle-descriptor.js';

/** One component an installed deployable unit provides. */
export interface ComponentInfo {
  readonly kind: ComponentKind;
  readonly id: ComponentId;
  readonly unitId: string;
}

/** An installed bundle, as management lists it. */
export interface DeployableUnitInfo {
  /** `<vendor>.<name>@<version>`: stable, and safe in URLs and file names. */
  readonly id: string;
  readonly name: string;
  readonly vendor: string;
  readonly version: string;
  /** ISO 8601. */
  readonly installedAt: string;
  readonly components: readonly ComponentInfo[];
}
