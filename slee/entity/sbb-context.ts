import type { ComponentId } from '../component-model/component-id.js';
import type { EventType } from '../component-model/event-type.js';
import type { ActivityContextInterface } from '../activity/activity-context-interface.js';
import type { SbbLocalObject } from './sbb-local-object.js';

export interface FireOptions {
  /** Address the event is fired with, for initial-event selection. */
  address?: string;
  /** Deliver only to this service (JSLEE's fire with a ServiceID). */
  service?: ComponentId;
}

/**
 * The SBB's window on the container while one of its methods runs. Inject it
 * in the constructor: `constructor(private readonly ctx: SbbContext) {}`.
 */
export abstract class SbbContext {
  abstract get sbb(): ComponentId;
  abstract get service(): ComponentId;
  /** The entity this object currently serves. */
  abstract get sbbLocalObject(): SbbLocalObject;
  /** The activities the entity is attached to. */
  abstract getActivities(): ActivityContextInterface[];
  /** Fires an event on an activity; it is delivered after this transaction commits. */
  abstract fireEvent<E>(type: EventType<E>, event: E, aci: ActivityContextInterface, options?: FireOptions): void;
  abstract setRollbackOnly(): void;
  abstract get rollbackOnly(): boolean;
  /** Delivery control for the event being handled; null outside an event handler. */
  abstract get eventContext(): import('../router/event-context.js').EventContext | null;
}
