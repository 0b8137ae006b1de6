/** Name, vendor and version: how JSLEE identifies every component. */
export interface ComponentId {
  readonly name: string;
  readonly vendor: string;
  readonly version: string;
}

export function componentKey(id: ComponentId): string {
  return `${id.name}#${id.vendor}#${id.version}`;
}

export function formatComponentId(kind: string, id: ComponentId): string {
  return `${kind}[name=${id.name},vendor=${id.vendor},version=${id.version}]`;
}
