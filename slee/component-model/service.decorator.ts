import { MetadataKey } from './metadata-keys.js';

export interface ServiceOptions {
  name?: string;
  vendor?: string;
  version?: string;
  /** Delivery order among services receiving one event: higher first (-128..127, JSLEE's range). */
  priority?: number;
  /** Profile table searched when an initial event selects the "address profile" variable. */
  addressProfileTable?: string;
}

export interface ServiceMetadata {
  name: string;
  vendor: string;
  version: string;
  priority: number;
  addressProfileTable?: string;
}

/** Marks an SBB class as the root SBB of a service. */
export function Service(options: ServiceOptions = {}): ClassDecorator {
  return (target) => {
    const meta: ServiceMetadata = {
      name: options.name ?? target.name.replace(/Sbb$/, '') + 'Service',
      vendor: options.vendor ?? 'sleet',
      version: options.version ?? '1.0',
      priority: options.priority ?? 0,
      ...(options.addressProfileTable ? { addressProfileTable: options.addressProfileTable } : {}),
    };
    Reflect.defineMetadata(MetadataKey.service, meta, target);
  };
}
