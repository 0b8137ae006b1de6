import type { ResourceAdaptorType } from '../../../slee/resource-adaptor/resource-adaptor-type.js';
import { SipResourceAdaptor } from './sip-resource-adaptor.js';
import { SIP_RA_CONFIG_PROPERTIES } from './sip-ra-config.js';

export const sipResourceAdaptorType: ResourceAdaptorType = {
  id: { name: 'sip', vendor: 'sleet', version: '1.0' },
  configProperties: SIP_RA_CONFIG_PROPERTIES,
  create: () => new SipResourceAdaptor(),
};
