import type { EventType } from '../component-model/event-type.js';
import type { SbbLocalObject } from '../entity/sbb-local-object.js';
import type { ActivityOf } from './activity-of.js';

/**
 * The SBB's view of an activity context: what handlers receive as `aci`.
 * Attach, detach, masks and attribute writes are transactional. `E` is the
 * handler's event type: `aci.activity` has the type of the activity that
 * event arrives on (`ActivityContextInterface<SipRequestEvent>` gives a
 * `ServerTransactionActivity`), `object` for events that do not say.
 */
export abstract class ActivityContextInterface<E = unknown> {
  /** The activity object (a SIP transaction, a dialog, a null activity...). */
  abstract get activity(): ActivityOf<E>;
  /** The activity context's identifier, stable while the activity lives. */
  abstract get id(): string;
  abstract get isEnding(): boolean;
  /** Attaches an SBB entity (the calling one by default) so it receives the activity's events. */
  abstract attach(sbb?: SbbLocalObject): void;
  abstract detach(sbb?: SbbLocalObject): void;
  abstract isAttached(sbb?: SbbLocalObject): boolean;
  /** Shared attributes of the activity context, visible to every SBB attached to it. */
  abstract get<T = unknown>(name: string): T | undefined;
  abstract set(name: string, value: unknown): void;
  /** Stops delivery of these event types to the calling entity on this activity (JSLEE maskEvent). */
  abstract mask(eventTypes: Array<EventType | string>): void;
  abstract get maskedEventTypes(): string[];
}
