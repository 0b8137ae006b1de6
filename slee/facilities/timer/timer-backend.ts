import type { TimerRecord } from './timer-record.js';

/**
 * Where timers wait until they are due. The in-process backend uses the
 * clock; a durable backend (bull on Redis) keeps them across restarts and
 * fires each once across a cluster. The facility calls `schedule` and
 * `cancel` only after the setting transaction commits.
 */
export interface TimerBackend {
  /**
   * Timers outlive this process (and may expire in another SLEE of the
   * cluster): the SLEE keeps them when it stops, and delivers an expiry
   * whose activity context it does not hold on a fresh null activity.
   */
  readonly durable?: boolean;
  /** Starts delivering due wake-ups to `onDue`; a durable backend awaits the promise before it counts the expiry as done. */
  start(onDue: (timerId: string) => void | Promise<void>): void | Promise<void>;
  /** Stops taking due wake-ups while the SLEE stops; schedule and cancel still work until `stop`. */
  pause?(): void | Promise<void>;
  schedule(record: TimerRecord): void | Promise<void>;
  cancel(timerId: string): void | Promise<void>;
  /** The record of a live timer, for the facility to compute what is due. */
  get(timerId: string): TimerRecord | undefined | Promise<TimerRecord | undefined>;
  /** Stores a record after an expiry moved it on, and arranges its next wake-up. */
  reschedule(record: TimerRecord): void | Promise<void>;
  stop(): void | Promise<void>;
}
