import type { Clock } from './clock.js';

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A clock that only moves when told to, for deterministic tests of timers. */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private entries: Entry[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, fn: () => void): unknown {
    const entry = { at: this.current + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.entries.push(entry);
    return entry;
  }

  cancel(handle: unknown): void {
    (handle as Entry).cancelled = true;
  }

  /** Moves time forward, running every callback due on the way, in time order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.entries
        .filter((e) => !e.cancelled && e.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.current = Math.max(this.current, due.at);
      due.cancelled = true;
      due.fn();
    }
    this.current = target;
    this.entries = this.entries.filter((e) => !e.cancelled);
  }

  /** Jumps time forward without running anything, as if the process had stalled. */
  jump(ms: number): void {
    this.current += ms;
  }

  get pending(): number {
    return this.entries.filter((e) => !e.cancelled).length;
  }
}
