import 'reflect-metadata';
import { SPEC_KEY } from './metadata-keys.js';

export interface ProfileSpecOptions {
  name: string;
  vendor: string;
  version: string;
  /** Allow SBBs to write profiles of this spec (default false, as in JSLEE). */
  writable?: boolean;
  /** Name of the attribute that holds the profile's address (alternative to `@AddressAttr()`). */
  addressAttribute?: string;
}

/** Marks a class as a profile specification. Writes metadata only. */
export function ProfileSpec(options: ProfileSpecOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(SPEC_KEY, { ...options }, target);
  };
}
