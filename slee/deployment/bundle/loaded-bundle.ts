import type { EventType } from '../../component-model/event-type.js';
import type { ResourceAdaptorType } from '../../resource-adaptor/resource-adaptor-type.js';
import type { SbbClass } from '../sbb-component.js';
import type { BundleServiceEntry } from './bundle-descriptor.js';
import type { BundleModuleLoader } from './bundle-module-loader.js';

/** A bundle's code, loaded and matched against its descriptor. */
export interface LoadedBundle {
  readonly loader: BundleModuleLoader;
  readonly services: ReadonlyArray<{ readonly entry: BundleServiceEntry; readonly rootClass: SbbClass }>;
  readonly eventTypes: readonly EventType[];
  /** Profile specification classes by component key. */
  readonly profileSpecs: ReadonlyMap<string, Function>;
  readonly raTypes: readonly ResourceAdaptorType[];
}
