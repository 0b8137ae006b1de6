import type { EventType } from './event-type.js';
import { appendMetadata, MetadataKey } from './metadata-keys.js';

export interface EventHandlerMetadata {
  method: string;
  eventType: EventType;
  /** Masked on attach: the entity does not receive it until unmasked. */
  maskOnAttach: boolean;
}

/**
 * Declares a method as the handler of an event type. Methods named
 * `on<Short>` are handlers by convention and need no decorator.
 */
export function EventHandler(eventType: EventType, options: { maskOnAttach?: boolean } = {}): MethodDecorator {
  return (target, propertyKey) => {
    const entry: EventHandlerMetadata = { method: String(propertyKey), eventType, maskOnAttach: options.maskOnAttach ?? false };
    appendMetadata(MetadataKey.eventHandlers, target.constructor, entry);
  };
}
