/** What happens to expiries that could not be delivered on time (JSLEE TimerPreserveMissed). */
export type PreserveMissed = 'NONE' | 'ALL' | 'LAST';

export interface TimerOptions {
  /** First expiry as an absolute time in ms since the epoch (clock time). Overrides `delay`. */
  startTime?: number;
  /** First expiry relative to now, in ms. Default 0. */
  delay?: number;
  /** Period of a periodic timer in ms; absent for a one-shot timer. */
  period?: number;
  /** Number of expiries of a periodic timer; 0 or absent means until cancelled. */
  repetitions?: number;
  /** Default LAST, as in JSLEE. */
  preserveMissed?: PreserveMissed;
  /** How late an expiry may be before it counts as missed. Default: the facility's default timeout. */
  timeout?: number;
  /** Address the timer event is fired with. */
  address?: string;
  /**
   * Opaque serialisable data carried to the timer event, so a handler knows
   * what the timer was for even when the activity it was set on is gone
   * (a durable timer after a restart).
   */
  payload?: unknown;
}
