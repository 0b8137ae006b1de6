import type { EventType } from '../component-model/event-type.js';

/** An event waiting in an activity's queue. */
export interface PendingEvent {
  readonly seq: number;
  readonly type: EventType;
  readonly event: unknown;
  readonly address: string | null;
  /** The service the event is for, when fired to one service only (JSLEE's ServiceID on fire). */
  readonly service: string | null;
  /** Called once delivery to every SBB is done: whether any handler failed, and how many SBB entities received it. */
  readonly done?: (failed: boolean, delivered: number) => void;
}
