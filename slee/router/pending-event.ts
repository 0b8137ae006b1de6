import type { EventType } from '../component-model/event-type.js';

/** An event waiting in an activity's queue. */
export interface PendingEvent {
  readonly seq: number;
  readonly type: EventType;
  readonly event: unknown;
  readonly address: string | null;
  /** The service the event is for, when fired to one service only (JSLEE's ServiceID on fire). */
  readonly service: string | null;
  /** Called once delivery to every SBB is done: whether any handler failed, how many SBB entities received it, and which service answered it. */
  readonly done?: (failed: boolean, delivered: number, answeredBy?: string) => void;
  /** Whether the event has been dealt with (a request answered), as its resource adaptor sees it. */
  readonly answered?: () => boolean;
}
