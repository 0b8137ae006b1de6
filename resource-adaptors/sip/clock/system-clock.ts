import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from './clock.js';
import { TimerHeap } from './timer-heap.js';

export interface SystemClockOptions {
  /**
   * Keep the process alive while timers are pending (default true). Set
   * false for clocks whose timers must never hold the event loop open.
   */
  ref?: boolean;
  /** Reports a callback that threw; timers never propagate exceptions. */
  onError?: (err: unknown) => void;
}

/**
 * Real-time clock that multiplexes every protocol timer onto one node timer,
 * armed for the earliest deadline. Tens of thousands of transactions then
 * cost heap entries, not libuv timers. With nothing scheduled no node timer
 * exists, so an idle clock never keeps the process alive.
 */
export class SystemClock implements Clock {
  private readonly heap = new TimerHeap();
  private armed: NodeJS.Timeout | undefined;
  private armedFor = Infinity;
  private closed = false;
  private readonly ref: boolean;
  private readonly onError: (err: unknown) => void;

  constructor(options: SystemClockOptions = {}) {
    this.ref = options.ref ?? true;
    this.onError = options.onError ?? (() => undefined);
  }

  now(): number {
    return performance.now();
  }

  get pending(): number {
    return this.heap.size;
  }

  schedule(delayMs: number, fn: () => void): TimerHandle {
    const timer = this.heap.push(this.now() + Math.max(0, delayMs), fn);
    if (!this.closed && timer.deadline < this.armedFor) this.arm();
    return timer;
  }

  cancel(handle: TimerHandle): void {
    // Leaving the node timer armed for a cancelled head is cheap: it fires,
    // finds nothing due and re-arms for the new head (or disarms).
    this.heap.remove(handle);
    if (this.heap.size === 0) this.disarm();
  }

  /** Drops every pending timer and refuses to fire any more. */
  close(): void {
    this.closed = true;
    this.heap.clear();
    this.disarm();
  }

  private arm(): void {
    this.disarm();
    const head = this.heap.peek();
    if (head === undefined || this.closed) return;
    this.armedFor = head.deadline;
    const t = setTimeout(() => this.fire(), Math.max(0, head.deadline - this.now()));
    if (!this.ref) t.unref();
    this.armed = t;
  }

  private disarm(): void {
    if (this.armed !== undefined) clearTimeout(this.armed);
    this.armed = undefined;
    this.armedFor = Infinity;
  }

  private fire(): void {
    this.armed = undefined;
    this.armedFor = Infinity;
    // setTimeout may fire a little early relative to performance.now(); a
    // 1 ms slack avoids a spin of zero-delay re-arms.
    const limit = this.now() + 1;
    for (let head = this.heap.peek(); head !== undefined && head.deadline <= limit; head = this.heap.peek()) {
      this.heap.pop();
      try {
        head.fn();
      } catch (err) {
        this.onError(err);
      }
      if (this.closed) return;
    }
    this.arm();
  }
}
