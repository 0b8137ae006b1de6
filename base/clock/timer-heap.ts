import type { TimerHandle } from './clock.js';

/** A scheduled callback; `index` is its slot in the heap, -1 once out of it. */
export class HeapTimer implements TimerHandle {
  constructor(
    readonly deadline: number,
    readonly seq: number,
    readonly fn: () => void,
    public index: number,
  ) {}
}

/**
 * Indexed binary min-heap ordered by (deadline, insertion order). Each timer
 * knows its slot, so cancel is O(log n) removal rather than a tombstone:
 * SIP cancels most timers (B, F, A on a reply) and tombstones would keep
 * tens of thousands of dead entries alive for up to 64*T1.
 */
export class TimerHeap {
  private readonly items: HeapTimer[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  peek(): HeapTimer | undefined {
    return this.items[0];
  }

  push(deadline: number, fn: () => void): HeapTimer {
    const timer = new HeapTimer(deadline, this.seq++, fn, this.items.length);
    this.items.push(timer);
    this.up(timer.index);
    return timer;
  }

  pop(): HeapTimer | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  /** Removes the timer if it is still queued here; returns whether it was. */
  remove(handle: TimerHandle): boolean {
    if (!(handle instanceof HeapTimer)) return false;
    const i = handle.index;
    if (i < 0 || this.items[i] !== handle) return false;
    this.removeAt(i);
    return true;
  }

  clear(): void {
    for (const t of this.items) t.index = -1;
    this.items.length = 0;
  }

  private removeAt(i: number): void {
    const items = this.items;
    const removed = items[i]!;
    const last = items.pop()!;
    removed.index = -1;
    if (last === removed) return;
    items[i] = last;
    last.index = i;
    this.down(i);
    this.up(last.index);
  }

  private less(a: HeapTimer, b: HeapTimer): boolean {
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
  }

  private up(i: number): void {
    const items = this.items;
    const t = items[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p]!;
      if (!this.less(t, parent)) break;
      items[i] = parent;
      parent.index = i;
      i = p;
    }
    items[i] = t;
    t.index = i;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const t = items[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(items[r]!, items[l]!) ? r : l;
      const child = items[c]!;
      if (!this.less(child, t)) break;
      items[i] = child;
      child.index = i;
      i = c;
    }
    items[i] = t;
    t.index = i;
  }
}
