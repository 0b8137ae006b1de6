import type { ResourceAdaptorType } from '../resource-adaptor/resource-adaptor-type.js';
import { directResourceAdaptorType } from './direct-resource-adaptor-type.js';

/** The resource-adaptor types every node registers at start; add SIP and HTTP here as they arrive. */
export const builtInResourceAdaptorTypes: readonly ResourceAdaptorType[] = [directResourceAdaptorType];
