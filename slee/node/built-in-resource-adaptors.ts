import type { ResourceAdaptorType } from '../resource-adaptor/resource-adaptor-type.js';
import { directResourceAdaptorType } from './direct-resource-adaptor-type.js';
import { httpResourceAdaptorType } from '../../resource-adaptors/http/http-resource-adaptor-type.js';

/** The resource-adaptor types every node registers at start; add SIP here when it arrives. */
export const builtInResourceAdaptorTypes: readonly ResourceAdaptorType[] = [directResourceAdaptorType, httpResourceAdaptorType];
