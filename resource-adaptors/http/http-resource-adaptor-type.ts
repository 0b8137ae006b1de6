import type { ResourceAdaptorType } from '../../slee/resource-adaptor/resource-adaptor-type.js';
import { httpConfigProperties } from './http-config.js';
import { HttpResourceAdaptor } from './http-resource-adaptor.js';

/** The HTTP resource adaptor as a type operators create entities of (configured by host, port, limits). */
export const httpResourceAdaptorType: ResourceAdaptorType = {
  id: { name: 'http', vendor: 'sleet', version: '1.0' },
  configProperties: httpConfigProperties,
  create: () => new HttpResourceAdaptor(),
};
