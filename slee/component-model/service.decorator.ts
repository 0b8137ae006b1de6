import { MetadataKey } from './metadata-keys.js';

export interface ServiceOptions {
  name?: string;
  vendor?: string;
  version?: string;
  /** Delivery order among services receiving one event: higher first (-128..127, JSLEE's range). */
  priority?: number;
  /** Profile table searched when an initial event selects the "address profile" variable. */
  addressProfileTable?: string;
  /**
   * Leave alone what a higher-priority service already answered: such an
   * event (a SIP request answered, proxied or cancelled) is not delivered
   * to this service's entities, and none is created for it.
   */
  skipAnswered?: boolean;
}

export interface ServiceMetadata {
  name: string;
  vendor: string;
  version: string;
  priority: number;
  addressProfileTable?: string;
  skipAnswered: boolean;
}

/** Marks an SBB class as the root SBB of a service. */
export function Service(options: ServiceOptions = {}): ClassDecorator {
  return (target) => {
    const meta: ServiceMetadata = {
      name: options.name ?? target.name.replace(/Sbb$/, '') + 'Service',
      vendor: options.vendor ?? 'sleet',
      version: options.version ?? '1.0',
      priority: options.priority ?? 0,
      skipAnswered: options.skipAnswered ?? false,
      ...(options.addressProfileTable ? { addressProfileTable: options.addressProfileTable } : {}),
    };
    Reflect.defineMetadata(MetadataKey.service, meta, target);
  };
}
