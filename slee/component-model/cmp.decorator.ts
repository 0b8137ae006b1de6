import { appendMetadata, MetadataKey } from './metadata-keys.js';

export interface CmpFieldMetadata {
  name: string;
  /** The declared type from design:type, used to check the field is serialisable. */
  designType: unknown;
}

/** A container-managed persistent field: transactional per-entity state holding serialisable values. */
export function Cmp(): PropertyDecorator {
  return (target, propertyKey) => {
    const entry: CmpFieldMetadata = {
      name: String(propertyKey),
      designType: Reflect.getMetadata('design:type', target, propertyKey),
    };
    appendMetadata(MetadataKey.cmpFields, target.constructor, entry);
  };
}
