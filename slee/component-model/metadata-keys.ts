/** Metadata keys the component-model decorators write and the deployer reads. */
export const MetadataKey = {
  sbb: 'sleet:sbb',
  service: 'sleet:service',
  eventHandlers: 'sleet:event-handlers',
  initialEvents: 'sleet:initial-events',
  cmpFields: 'sleet:cmp-fields',
  childRelations: 'sleet:child-relations',
  usageParameters: 'sleet:usage-parameters',
  raLinks: 'sleet:ra-links',
  injectable: 'sleet:injectable',
} as const;

/** Appends to an array-valued metadata entry owned by the target itself (not inherited). */
export function appendMetadata<T>(key: string, target: object, entry: T): void {
  const own: T[] = Reflect.hasOwnMetadata(key, target) ? Reflect.getOwnMetadata(key, target) : [];
  Reflect.defineMetadata(key, [...own, entry], target);
}
