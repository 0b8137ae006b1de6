import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from './clock.js';
import { TimerHeap } from './timer-heap.js';

/** setTimeout's longest delay: a longer one would fire at once, so a farther head is re-armed for on the way. */
const MAX_NODE_DELAY_MS = 2 ** 31 - 1;

export interface SystemClockOptions {
  /**
   * Keep the process alive while timers are pending (default true). Set
   * false for clocks whose timers must never hold the event loop open.
   */
  ref?: boolean;
  /** Reports a callback that threw; timers never propagate exceptions (default: ignored). */
  onError?: (err: unknown) => void;
  /**
   * `now()` reads wall-clock time, ms since the epoch (the SLEE's timers,
   * alarms and notifications), instead of a monotonic scale (default false,
   * the SIP stack's). Deadlines stay monotonic either way, so a wall-clock
   * step never fires a timer early or late.
   */
  wallTime?: boolean;
}

/**
 * Real-time clock that multiplexes every timer onto one node timer, armed
 * for the earliest deadline. Tens of thousands of transactions then cost
 * heap entries, not libuv timers. With nothing scheduled no node timer
 * exists, so an idle clock never keeps the process alive.
 */
export class SystemClock implements Clock {
  private readonly heap = new TimerHeap();
  private armed: NodeJS.Timeout | undefined;
  private armedFor = Infinity;
  private closed = false;
  private readonly ref: boolean;
  private readonly onError: (err: unknown) => void;
  private readonly wallTime: boolean;

  constructor(options: SystemClockOptions = {}) {
    this.ref = options.ref ?? true;
    this.onError = options.onError ?? (() => undefined);
    this.wallTime = options.wallTime ?? false;
  }

  now(): number {
    return this.wallTime ? Date.now() : performance.now();
  }

  get pending(): number {
    return this.heap.size;
  }

  schedule(delayMs: number, fn: () => void): TimerHandle {
    const timer = this.heap.push(performance.now() + Math.max(0, delayMs), fn);
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
    const t = setTimeout(() => this.fire(), Math.min(MAX_NODE_DELAY_MS, Math.max(0, head.deadline - performance.now())));
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
    const limit = performance.now() + 1;
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
