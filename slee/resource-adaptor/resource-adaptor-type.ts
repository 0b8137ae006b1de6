import type { ComponentId } from '../component-model/component-id.js';
import type { ConfigProperties, ResourceAdaptor } from './resource-adaptor.js';

export interface ConfigPropertyDescriptor {
  readonly name: string;
  readonly type: 'string' | 'number' | 'boolean';
  readonly default?: string | number | boolean;
  readonly description?: string;
}

/** A kind of resource adaptor (SIP, HTTP...): entities are created from it with configuration properties. */
export interface ResourceAdaptorType {
  readonly id: ComponentId;
  readonly configProperties: readonly ConfigPropertyDescriptor[];
  create(config: ConfigProperties): ResourceAdaptor;
}
