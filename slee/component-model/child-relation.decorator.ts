import { appendMetadata, MetadataKey } from './metadata-keys.js';

export interface ChildRelationMetadata {
  name: string;
  /** Lazy so that parent and child may live in modules that import each other. */
  child: () => abstract new (...args: never[]) => unknown;
  defaultPriority: number;
}

/** A child relation: the property gives a ChildRelation through which children of that SBB are created. */
export function ChildRelation(child: () => abstract new (...args: never[]) => unknown, options: { defaultPriority?: number } = {}): PropertyDecorator {
  return (target, propertyKey) => {
    const entry: ChildRelationMetadata = { name: String(propertyKey), child, defaultPriority: options.defaultPriority ?? 0 };
    appendMetadata(MetadataKey.childRelations, target.constructor, entry);
  };
}
