import type { Clock, TimerHandle } from '../../../base/clock/clock.js';

/** What waits in a queue: told once its delay is over, unless it has ended meanwhile. */
export interface Waiting {
  readonly isTerminated: boolean;
  waitOver(): void;
}

interface Queue {
  waiting: Array<Waiting | undefined>;
  deadlines: number[];
  head: number;
  timer: TimerHandle | undefined;
}

/**
 * The final wait states (Timers D, I, J, K, L, M) each last a fixed delay,
 * so transactions waiting out the same delay reach their deadlines in the
 * order they began waiting: a FIFO per delay with one clock timer at its
 * head replaces a heap entry and two closures per transaction. At overload
 * rates tens of thousands wait at once, and all of them are marked by
 * every old-generation collection.
 */
export class WaitQueues {
  private readonly queues = new Map<number, Queue>();

  constructor(
    private readonly clock: Clock,
    /** A `waitOver` that threw; the others due with it still end. */
    private readonly onError: (err: unknown) => void,
  ) {}

  add(waiting: Waiting, delayMs: number): void {
    let queue = this.queues.get(delayMs);
    if (queue === undefined) {
      queue = { waiting: [], deadlines: [], head: 0, timer: undefined };
      this.queues.set(delayMs, queue);
    }
    queue.waiting.push(waiting);
    queue.deadlines.push(this.clock.now() + delayMs);
    if (queue.timer === undefined) this.arm(queue, delayMs);
  }

  /** Forgets every waiting entry and stops the timers (the layer closing: it has ended them itself). */
  clear(): void {
    for (const queue of this.queues.values()) if (queue.timer !== undefined) this.clock.cancel(queue.timer);
    this.queues.clear();
  }

  private arm(queue: Queue, delayMs: number): void {
    queue.timer = this.clock.schedule(Math.max(0, queue.deadlines[queue.head]! - this.clock.now()), () => this.fire(queue, delayMs));
  }

  private fire(queue: Queue, delayMs: number): void {
    queue.timer = undefined;
    // The timer was armed for the head, which only fire() moves on: that entry is due even when the clock fires a little early.
    const due = Math.max(this.clock.now(), queue.deadlines[queue.head]!);
    while (queue.head < queue.waiting.length && queue.deadlines[queue.head]! <= due) {
      const waiting = queue.waiting[queue.head]!;
      queue.waiting[queue.head] = undefined;
      queue.head++;
      if (waiting.isTerminated) continue;
      try {
        waiting.waitOver();
      } catch (err) {
        this.onError(err);
      }
    }
    if (queue.head === queue.waiting.length) {
      queue.waiting.length = 0;
      queue.deadlines.length = 0;
      queue.head = 0;
      return;
    }
    // Drop the consumed front once it is most of the arrays, so they do not grow for as long as load lasts.
    if (queue.head > 1024 && queue.head * 2 > queue.waiting.length) {
      queue.waiting.splice(0, queue.head);
      queue.deadlines.splice(0, queue.head);
      queue.head = 0;
    }
    if (queue.timer === undefined) this.arm(queue, delayMs);
  }
}
