import { readFileSync } from 'node:fs';

interface Entry {
  start: number;
  end: number;
  /** Its line in the file: V8 reuses code space, and the later entry names what ran there last. */
  order: number;
  name: string;
}

/**
 * The names of a Node.js process's compiled JavaScript, from the
 * `/tmp/perf-<pid>.map` that `node --perf-basic-prof` writes (one line per
 * code object: start and size in hex, then `JS:*name file:line:col`, `*`
 * for TurboFan, `+` Maglev, `^` Sparkplug, `~` the interpreter).
 */
export class PerfMap {
  private constructor(
    /** By start address. */
    private readonly entries: Entry[],
    private readonly largest: number,
  ) {}

  static read(path: string): PerfMap {
    const entries: Entry[] = [];
    let largest = 0;
    let order = 0;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const first = line.indexOf(' ');
      const second = line.indexOf(' ', first + 1);
      if (first <= 0 || second === -1) continue;
      const start = parseInt(line.slice(0, first), 16);
      const size = parseInt(line.slice(first + 1, second), 16);
      entries.push({ start, end: start + size, order: order++, name: line.slice(second + 1) });
      if (size > largest) largest = size;
    }
    entries.sort((a, b) => a.start - b.start);
    return new PerfMap(entries, largest);
  }

  /** The name of the code at `address`, the latest mapped there, if any covers it. */
  nameAt(address: number): string | undefined {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entries[mid]!.start <= address) low = mid + 1;
      else high = mid;
    }
    let found: Entry | undefined;
    for (let i = low - 1; i >= 0 && this.entries[i]!.start > address - this.largest; i--) {
      const entry = this.entries[i]!;
      if (address < entry.end && (found === undefined || entry.order > found.order)) found = entry;
    }
    return found?.name;
  }
}
