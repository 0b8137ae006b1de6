import { defineEventType } from '../../component-model/event-type.js';

/** What an SBB receives when a timer expires (`onTimer(event, aci)`). */
export interface TimerEvent {
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
  readonly payload?: unknown;
}

export const TimerEventType = defineEventType<TimerEvent>('sleet.facilities.TimerEvent', { short: 'Timer' });
