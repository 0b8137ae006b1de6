import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../base/clock/clock.js';
import type { ActivityContext } from '../../activity/activity-context.js';
import type { TimerBackend } from './timer-backend.js';
import type { TimerOptions } from './timer-options.js';
import type { TimerRecord } from './timer-record.js';
import { planExpiries } from './timer-expiry-plan.js';
import type { TimerEvent } from './timer-event.js';
import { freezeSerialisable } from '../../container/cmp-value.js';

export interface TimerSink {
  activityById(id: string): ActivityContext | undefined;
  fire(ac: ActivityContext, event: TimerEvent, address: string | null): void;
  /** For a durable timer whose activity context this SLEE does not hold (it did not survive a restart). */
  fireOnNewNullActivity(event: TimerEvent, address: string | null): void;
  /** In a cluster: the activity context another node replicated, taken over here; undefined when there is none. */
  adopt?(id: string): Promise<ActivityContext | undefined>;
}

/** The SLEE side of the timer facility: turns backend wake-ups into timer events. */
export class TimerManager {
  private readonly owners = new Map<string, ActivityContext>();
  private suspended = false;

  constructor(
    private readonly clock: Clock,
    private readonly backend: TimerBackend,
    private readonly sink: TimerSink,
    readonly defaultTimeout = 1000,
  ) {}

  start(): void | Promise<void> {
    this.suspended = false;
    return this.backend.start((id) => this.onDue(id));
  }

  /**
   * The SLEE is stopping and about to end every activity. Durable timers are
   * not cancelled with them (they fire after the next start, or in another
   * SLEE of the cluster), and no more wake-ups are taken meanwhile.
   * In-process timers are unaffected: they end with their activities.
   */
  async suspend(): Promise<void> {
    if (!this.backend.durable) return;
    this.suspended = true;
    for (const [timerId, ac] of this.owners) ac.timers.delete(timerId);
    this.owners.clear();
    await this.backend.pause?.();
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
      ...(options.payload !== undefined ? { payload: freezeSerialisable(options.payload, 'timer payload') } : {}),
    };
  }

  schedule(record: TimerRecord, ac: ActivityContext): void {
    if (!this.suspended) {
      ac.timers.add(record.id);
      this.owners.set(record.id, ac);
    }
    void this.settle(record.id, this.backend.schedule(record));
  }

  /** A durable timer another node of the cluster set on an activity context this node has taken over. */
  adopt(timerId: string, ac: ActivityContext): void {
    if (this.suspended) return;
    ac.timers.add(timerId);
    this.owners.set(timerId, ac);
  }

  cancel(timerId: string, ac = this.owners.get(timerId)): void | Promise<void> {
    ac?.timers.delete(timerId);
    this.owners.delete(timerId);
    return this.settle(timerId, this.backend.cancel(timerId));
  }

  /** Reports an asynchronous backend failure instead of leaving the promise unhandled. */
  private settle(timerId: string, result: void | Promise<void>): void | Promise<void> {
    if (result instanceof Promise) return result.catch((err: unknown) => this.failed(timerId, err));
  }

  /**
   * Synchronous when the backend is, so expiries enter the event queue at
   * once. Runs from a clock or queue callback, where nobody could catch an
   * error: every failure goes to onError instead.
   */
  private onDue(timerId: string): void | Promise<void> {
    try {
      const record = this.backend.get(timerId);
      if (record instanceof Promise) return record.then((r) => this.expire(timerId, r)).catch((err: unknown) => this.failed(timerId, err));
      return this.expire(timerId, record);
    } catch (err) {
      this.failed(timerId, err);
    }
  }

  private failed(timerId: string, err: unknown): void {
    this.onError?.(timerId, err);
  }

  /** Where backend failures are reported (the SLEE logs them and raises an alarm). */
  onError: ((timerId: string, err: unknown) => void) | null = null;

  /**
   * A durable timer is delivered on its activity context when this SLEE set
   * it and still holds it; in a cluster, on the activity context the node
   * that set it replicated, which this node takes over; otherwise (set before
   * a restart, or on an activity that was not replicated) on a fresh null activity. An in-process timer whose
   * activity context is gone was cancelled with it.
   */
  private expire(timerId: string, record: TimerRecord | undefined): void | Promise<void> {
    if (!record) return;
    const ac = this.backend.durable ? this.owners.get(timerId) : this.sink.activityById(record.activityContextId);
    const adopt = this.sink.adopt;
    if (this.backend.durable && ac === undefined && adopt) {
      // Set by a node of the cluster that is gone: on the activity it replicated, if there is one.
      const adopting = adopt(record.activityContextId).catch((err: unknown) => {
        this.failed(timerId, err);
        return undefined;
      });
      return adopting.then((adopted) => {
        if (adopted && !this.suspended) this.adopt(timerId, adopted);
        return this.expireOn(timerId, record, adopted);
      });
    }
    return this.expireOn(timerId, record, ac);
  }

  private expireOn(timerId: string, record: TimerRecord, ac: ActivityContext | undefined): void | Promise<void> {
    const live = ac !== undefined && ac.state === 'active';
    if (!live && (!this.backend.durable || ac !== undefined)) return this.cancel(timerId, ac);
    const now = this.clock.now();
    for (const expiry of planExpiries(record, now)) {
      const event: TimerEvent = {
        timerId,
        scheduledTime: expiry.scheduledTime,
        expiryTime: now,
        period: record.period,
        numRepetitions: record.numRepetitions,
        remainingRepetitions: expiry.remainingAfter,
        missedRepetitions: expiry.missedBefore,
        address: record.address,
        ...(record.payload !== undefined ? { payload: record.payload } : {}),
      };
      if (live) this.sink.fire(ac, event, record.address);
      else this.sink.fireOnNewNullActivity(event, record.address);
    }
    if (record.remaining === 0) return this.cancel(timerId, ac);
    return this.settle(timerId, this.backend.reschedule(record));
  }
}
