import type { ComponentId } from '../component-model/component-id.js';

/** JSLEE notification sources as strings: traces, alarms and usage are keyed by them. */
export function sbbNotificationSource(service: ComponentId, sbb: ComponentId): string {
  return `sbb:${service.name}/${service.vendor}/${service.version}:${sbb.name}`;
}

export function raEntityNotificationSource(entityName: string): string {
  return `ra:${entityName}`;
}
