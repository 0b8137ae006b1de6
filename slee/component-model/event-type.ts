/** An event type is identified by name, vendor and version, as in JSLEE. */
export interface EventTypeId {
  readonly name: string;
  readonly vendor: string;
  readonly version: string;
}

/**
 * A declared event type. `short` is the suffix of the conventional handler
 * name: an SBB method `onInvite` handles the event type whose short name is
 * `Invite`. The type parameter carries the event object's type for handlers.
 */
export interface EventType<E = unknown> extends EventTypeId {
  readonly short: string;
  readonly key: string;
  /** Phantom field: never set, only carries E for type inference. */
  readonly __event?: E;
}

export function eventTypeKey(id: EventTypeId): string {
  return `${id.name}#${id.vendor}#${id.version}`;
}

function defaultShortName(name: string): string {
  const last = name.slice(name.lastIndexOf('.') + 1).replace(/Event$/, '') || name;
  return (
    last.charAt(0).toUpperCase() +
    last
      .slice(1)
      .toLowerCase()
      .replace(/[-_](.)/g, (_, c: string) => c.toUpperCase())
  );
}

export function defineEventType<E = unknown>(name: string, options: { vendor?: string; version?: string; short?: string } = {}): EventType<E> {
  const id = { name, vendor: options.vendor ?? 'sleet', version: options.version ?? '1.0' };
  return Object.freeze({ ...id, short: options.short ?? defaultShortName(name), key: eventTypeKey(id) });
}
