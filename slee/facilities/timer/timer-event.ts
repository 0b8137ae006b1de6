import { defineEventType } from '../../component-model/event-type.js';
import type { ActivityEvent } from '../../activity/activity-of.js';

/**
 * What an SBB receives when a timer expires (`onTimer(event, aci)`). `P` is
 * the payload the SBB set the timer with and `A` the activity it set it on,
 * as the SBB knows them: `TimerEvent<HangUp, DialogActivity>`.
 */
export interface TimerEvent<P = unknown, A extends object = object> extends ActivityEvent<A> {
  readonly timerId: string;
  /** When this expiry was due. */
  readonly scheduledTime: number;
  /** When it was actually fired. */
  readonly expiryTime: number;
  readonly period: number | null;
  /** 0 for a timer that repeats until cancelled. */
  readonly numRepetitions: number;
  /** -1 when the timer repeats until cancelled. */
  readonly remainingRepetitions: number;
  /** Expiries skipped (not delivered) since the previous delivered one. */
  readonly missedRepetitions: number;
  /** The address the timer was set with (also the event's address for initial-event selection). */
  readonly address: string | null;
  /** The payload the timer was set with, if any. */
  readonly payload?: P;
}

/** The payload and the activity are whatever the SBB set the timer with, which only it knows. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type SetBySbb = any;

export const TimerEventType = defineEventType<TimerEvent<SetBySbb, SetBySbb>>('sleet.facilities.TimerEvent', { short: 'Timer' });
