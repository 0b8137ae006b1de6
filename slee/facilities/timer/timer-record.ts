import type { PreserveMissed } from './timer-options.js';

/** A timer as the scheduler keeps it: plain data so a durable backend can store it. */
export interface TimerRecord {
  readonly id: string;
  readonly activityContextId: string;
  readonly address: string | null;
  readonly period: number | null;
  readonly numRepetitions: number;
  readonly preserveMissed: PreserveMissed;
  readonly timeout: number;
  /** `TimerOptions.payload`, frozen when the timer was set. */
  readonly payload?: unknown;
  /** Next due time. */
  nextTime: number;
  /** Expiries still to come; -1 when unbounded. */
  remaining: number;
  /** Expiries skipped since the last one delivered. */
  missed: number;
}
