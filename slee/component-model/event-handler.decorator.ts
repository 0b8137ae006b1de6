import type { EventType } from './event-type.js';
import { appendMetadata, MetadataKey } from './metadata-keys.js';

export interface EventHandlerMetadata {
  method: string;
  eventType: EventType;
  /** Masked on attach: the entity does not receive it until unmasked. */
  maskOnAttach: boolean;
}

/**
 * Declares a method as the handler of an event type, or of several that
 * it handles alike (`@EventHandler([SipRequestEvents.INVITE, SipRequestEvents.MESSAGE])`).
 * Methods named `on<Short>` are handlers by convention and need no decorator.
 */
export function EventHandler(eventTypes: EventType | readonly EventType[], options: { maskOnAttach?: boolean } = {}): MethodDecorator {
  return (target, propertyKey) => {
    for (const eventType of Array.isArray(eventTypes) ? (eventTypes as readonly EventType[]) : [eventTypes as EventType]) {
      const entry: EventHandlerMetadata = { method: String(propertyKey), eventType, maskOnAttach: options.maskOnAttach ?? false };
      appendMetadata(MetadataKey.eventHandlers, target.constructor, entry);
    }
  };
}
