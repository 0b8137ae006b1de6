import type { Clock, TimerHandle } from './clock.js';
import { TimerHeap } from './timer-heap.js';

/** Manually driven clock for tests: time moves only through `advance` and `jump`. */
export class FakeClock implements Clock {
  private readonly heap = new TimerHeap();
  private current: number;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  get pending(): number {
    return this.heap.size;
  }

  schedule(delayMs: number, fn: () => void): TimerHandle {
    return this.heap.push(this.current + Math.max(0, delayMs), fn);
  }

  cancel(handle: TimerHandle): void {
    this.heap.remove(handle);
  }

  /**
   * Moves time forward by `ms`, firing every timer due in deadline order
   * with `now()` set to its deadline (or kept, for timers a `jump` left
   * overdue), including timers that callbacks schedule inside the window.
   */
  advance(ms: number): void {
    const target = this.current + ms;
    for (let head = this.heap.peek(); head !== undefined && head.deadline <= target; head = this.heap.peek()) {
      this.heap.pop();
      this.current = Math.max(this.current, head.deadline);
      head.fn();
    }
    this.current = target;
  }

  /** Moves time forward without firing anything, as if the process had stalled; the next `advance` fires what is overdue. */
  jump(ms: number): void {
    this.current += ms;
  }
}
