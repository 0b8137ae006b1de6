import type { ActivityContextInterface } from '../../activity/activity-context-interface.js';
import type { TimerOptions } from './timer-options.js';

/** Sets and cancels timers on activity contexts; both take effect when the transaction commits. */
export abstract class TimerFacility {
  /** Returns the timer's id; its events arrive on the ACI as TimerEvent (`onTimer`). */
  abstract setTimer(aci: ActivityContextInterface, options?: TimerOptions): string;
  abstract cancelTimer(timerId: string): void;
  /** The timeout used when a timer sets none. */
  abstract get defaultTimeout(): number;
}
