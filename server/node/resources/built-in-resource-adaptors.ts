import type { ResourceAdaptorType } from '../../../slee/resource-adaptor/resource-adaptor-type.js';
import { directResourceAdaptorType } from '../../../resource-adaptors/direct/direct-resource-adaptor-type.js';
import { httpResourceAdaptorType } from '../../../resource-adaptors/http/http-resource-adaptor-type.js';
import { sipResourceAdaptorType } from '../../../resource-adaptors/sip/ra/sip-resource-adaptor-type.js';

/** The resource-adaptor types every node registers at start. */
export const builtInResourceAdaptorTypes: readonly ResourceAdaptorType[] = [directResourceAdaptorType, sipResourceAdaptorType, httpResourceAdaptorType];
