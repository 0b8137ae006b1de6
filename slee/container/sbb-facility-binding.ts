import type { ServiceIdentifier } from 'inversify';
import type { SbbCaller } from '../entity/sbb-caller.js';

/**
 * An extension point for facilities that live outside the core (profiles):
 * each pooled SBB object gets its own instance, made from its context.
 */
export interface SbbFacilityBinding {
  readonly token: ServiceIdentifier;
  create(ctx: SbbCaller): unknown;
}
