import type { Clock, TimerHandle } from '../../../base/clock/clock.js';
import type { TimerBackend } from './timer-backend.js';
import type { TimerRecord } from './timer-record.js';

/** Timers in this process's memory, woken by the clock. Lost on restart; the default. */
export class InProcessTimerBackend implements TimerBackend {
  private readonly records = new Map<string, { record: TimerRecord; handle: TimerHandle }>();
  private onDue: ((timerId: string) => void) | null = null;

  constructor(private readonly clock: Clock) {}

  start(onDue: (timerId: string) => void): void {
    this.onDue = onDue;
  }

  schedule(record: TimerRecord): void {
    this.reschedule(record);
  }

  reschedule(record: TimerRecord): void {
    const existing = this.records.get(record.id);
    if (existing) this.clock.cancel(existing.handle);
    const handle = this.clock.schedule(record.nextTime - this.clock.now(), () => this.onDue?.(record.id));
    this.records.set(record.id, { record, handle });
  }

  cancel(timerId: string): void {
    const existing = this.records.get(timerId);
    if (!existing) return;
    this.clock.cancel(existing.handle);
    this.records.delete(timerId);
  }

  get(timerId: string): TimerRecord | undefined {
    return this.records.get(timerId)?.record;
  }

  stop(): void {
    for (const { handle } of this.records.values()) this.clock.cancel(handle);
    this.records.clear();
  }

  get size(): number {
    return this.records.size;
  }
}
