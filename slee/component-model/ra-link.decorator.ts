import { inject } from 'inversify';
import { appendMetadata, MetadataKey } from './metadata-keys.js';

/** The injection token of the SBB interface bound to a resource-adaptor link name. */
export function raLinkToken(linkName: string): symbol {
  return Symbol.for(`sleet:ra-link:${linkName}`);
}

/** Injects the SBB interface of the resource-adaptor entity bound to `linkName`. */
export function RaLink(linkName: string): ParameterDecorator & PropertyDecorator {
  return (target: object, propertyKey: string | symbol | undefined, index?: number) => {
    const owner = typeof target === 'function' ? target : target.constructor;
    appendMetadata(MetadataKey.raLinks, owner, linkName);
    (inject(raLinkToken(linkName)) as (t: object, k: string | symbol | undefined, i?: number) => void)(target, propertyKey, index);
  };
}
