import type { ComponentId } from '../component-model/component-id.js';

/**
 * What deployment needs from the profile subsystem, which the core does not
 * import: whether a bundle's export is a profile specification, and which
 * profile tables use one (uninstalling a specification a table uses is
 * refused). profiles/ implements it; the composition root wires it in.
 */
export interface ProfileSpecSupport {
  /** The component id the value declares as a profile specification; undefined when it declares none. */
  declaredId(value: unknown): ComponentId | undefined;
  /** The profile tables, each with the specification it uses. */
  listTables(): ReadonlyArray<{ readonly name: string; readonly spec: ComponentId }>;
}
