import { injectable } from 'inversify';
import { MetadataKey } from './metadata-keys.js';

/**
 * A helper class SBBs take in their constructor (a location service, a
 * forwarder), built by the SLEE for each SBB object like a facility: its
 * own constructor takes facilities, `@RaLink` providers and other
 * injectables, so the SBB never wires it by hand.
 */
export function Injectable(): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(MetadataKey.injectable, true, target);
    injectable()(target as unknown as new (...args: never[]) => unknown);
  };
}
