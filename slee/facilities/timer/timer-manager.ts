import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock/clock.js';
import type { ActivityContext } from '../../activity/activity-context.js';
import type { TimerBackend } from './timer-backend.js';
import type { TimerOptions } from './timer-options.js';
import type { TimerRecord } from './timer-record.js';
import { planExpiries } from './timer-expiry-plan.js';
import { TimerEventType, type TimerEvent } from './timer-event.js';

export interface TimerSink {
  activityById(id: string): ActivityContext | undefined;
  fire(ac: ActivityContext, event: TimerEvent, address: string | null): void;
}

/** The SLEE side of the timer facility: turns backend wake-ups into timer events. */
export class TimerManager {
  private readonly owners = new Map<string, ActivityContext>();

  constructor(
    private readonly clock: Clock,
    private readonly backend: TimerBackend,
    private readonly sink: TimerSink,
    readonly defaultTimeout = 1000,
  ) {}

  start(): void | Promise<void> {
    return this.backend.start((id) => this.onDue(id));
  }

  stop(): void | Promise<void> {
    return this.backend.stop();
  }

  /** Builds the record; the caller schedules it when its transaction commits. */
  createRecord(ac: ActivityContext, options: TimerOptions): TimerRecord {
    const now = this.clock.now();
    const period = options.period ?? null;
    if (period !== null && !(period > 0)) throw new RangeError(`timer period must be positive, got ${period}`);
    const repetitions = period === null ? 1 : (options.repetitions ?? 0);
    return {
      id: randomUUID(),
      activityContextId: ac.id,
      address: options.address ?? null,
      period,
      numRepetitions: repetitions,
      preserveMissed: options.preserveMissed ?? 'LAST',
      timeout: options.timeout ?? (period === null ? this.defaultTimeout : Math.min(period, this.defaultTimeout)),
      nextTime: options.startTime ?? now + (options.delay ?? 0),
      remaining: repetitions === 0 ? -1 : repetitions,
      missed: 0,
    };
  }

  schedule(record: TimerRecord, ac: ActivityContext): void {
    ac.timers.add(record.id);
    this.owners.set(record.id, ac);
    void this.backend.schedule(record);
  }

  cancel(timerId: string, ac = this.owners.get(timerId)): void {
    ac?.timers.delete(timerId);
    this.owners.delete(timerId);
    void this.backend.cancel(timerId);
  }

  /** Synchronous when the backend is, so expiries enter the event queue at once. */
  private onDue(timerId: string): void {
    const record = this.backend.get(timerId);
    if (record instanceof Promise) {
      record.then(
        (r) => this.expire(timerId, r),
        (err: unknown) => this.failed(timerId, err),
      );
    } else this.expire(timerId, record);
  }

  private failed(timerId: string, err: unknown): void {
    this.onError?.(timerId, err);
  }

  /** Where backend failures are reported (the SLEE logs them and raises an alarm). */
  onError: ((timerId: string, err: unknown) => void) | null = null;

  private expire(timerId: string, record: TimerRecord | undefined): void {
    if (!record) return;
    const ac = this.sink.activityById(record.activityContextId);
    if (!ac || ac.state !== 'active') {
      this.cancel(timerId, ac);
      return;
    }
    const now = this.clock.now();
    for (const expiry of planExpiries(record, now)) {
      this.sink.fire(
        ac,
        {
          timerId,
          scheduledTime: expiry.scheduledTime,
          expiryTime: now,
          period: record.period,
          numRepetitions: record.numRepetitions,
          remainingRepetitions: expiry.remainingAfter,
          missedRepetitions: expiry.missedBefore,
        },
        record.address,
      );
    }
    if (record.remaining === 0) this.cancel(timerId, ac);
    else {
      const rescheduled = this.backend.reschedule(record);
      if (rescheduled instanceof Promise) rescheduled.catch((err: unknown) => this.failed(timerId, err));
    }
  }
}

