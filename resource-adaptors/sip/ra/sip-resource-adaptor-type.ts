import type { ResourceAdaptorType } from '../../../slee/resource-adaptor/resource-adaptor-type.js';
import { SipResourceAdaptor, type SipResourceAdaptorOptions } from './sip-resource-adaptor.js';
import { SIP_RA_CONFIG_PROPERTIES } from './sip-ra-config.js';

/** The SIP RA type whose entities take these options: an observer of calls, registrations and traced messages, a clustered node's OPTIONS answer. */
export function createSipResourceAdaptorType(options: SipResourceAdaptorOptions = {}): ResourceAdaptorType {
  return {
    id: { name: 'sip', vendor: 'sleet', version: '1.0' },
    configProperties: SIP_RA_CONFIG_PROPERTIES,
    create: () => new SipResourceAdaptor(options),
  };
}

export const sipResourceAdaptorType: ResourceAdaptorType = createSipResourceAdaptorType();
