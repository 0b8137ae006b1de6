import type { InitialEventSelectVariable } from './initial-event-select.js';
import { appendMetadata, MetadataKey } from './metadata-keys.js';

export interface InitialEventOptions {
  /** Variables combined into the convergence name. Default: the activity context. */
  select?: InitialEventSelectVariable[];
  /** Name of a method `(selector: InitialEventSelector) => InitialEventSelector` that adjusts the selection. */
  selector?: string;
}

export interface InitialEventMetadata {
  method: string;
  select: InitialEventSelectVariable[];
  selector?: string;
}

/** Marks an event handler of a root SBB as taking initial events: they create (or find) the root entity. */
export function InitialEvent(options: InitialEventOptions = {}): MethodDecorator {
  return (target, propertyKey) => {
    const entry: InitialEventMetadata = {
      method: String(propertyKey),
      select: options.select ?? ['ActivityContext'],
      ...(options.selector ? { selector: options.selector } : {}),
    };
    appendMetadata(MetadataKey.initialEvents, target.constructor, entry);
  };
}
