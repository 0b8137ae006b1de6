import { DirectResourceAdaptor } from './direct-resource-adaptor.js';
import type { ResourceAdaptorType } from '../../slee/resource-adaptor/resource-adaptor-type.js';

/**
 * The direct resource adaptor as a type operators can create entities of.
 * Its entities fire no event types of their own; in-process code that
 * holds the adaptor drives them.
 */
export const directResourceAdaptorType: ResourceAdaptorType = {
  id: { name: 'direct', vendor: 'sleet', version: '1.0' },
  configProperties: [],
  create: () => new DirectResourceAdaptor([]),
};
