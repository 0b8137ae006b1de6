import { injectable } from 'inversify';
import { MetadataKey } from './metadata-keys.js';

export interface SbbOptions {
  name?: string;
  vendor?: string;
  version?: string;
}

export interface SbbMetadata {
  name: string;
  vendor: string;
  version: string;
}

/** Marks a class as a Service Building Block. Name defaults to the class name. */
export function Sbb(options: SbbOptions = {}): ClassDecorator {
  return (target) => {
    const meta: SbbMetadata = {
      name: options.name ?? target.name,
      vendor: options.vendor ?? 'sleet',
      version: options.version ?? '1.0',
    };
    Reflect.defineMetadata(MetadataKey.sbb, meta, target);
    injectable()(target as unknown as new (...args: never[]) => unknown);
  };
}
