import { readFileSync } from 'node:fs';

interface CodeEntry {
  size: number;
  name: string;
}

/** Code objects by start address, searched by binary search over a sorted copy rebuilt only after a change. */
class CodeMap {
  private readonly entries = new Map<number, CodeEntry>();
  private sorted: Array<[number, CodeEntry]> | null = null;

  set(address: number, entry: CodeEntry): void {
    this.entries.set(address, entry);
    this.sorted = null;
  }

  move(from: number, to: number): void {
    const entry = this.entries.get(from);
    if (entry === undefined) return;
    this.entries.delete(from);
    this.set(to, entry);
  }

  delete(address: number): void {
    if (this.entries.delete(address)) this.sorted = null;
  }

  nameAt(pc: number): string | undefined {
    const sorted = (this.sorted ??= [...this.entries].sort((a, b) => a[0] - b[0]));
    let lo = 0;
    let hi = sorted.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]![0] <= pc) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found === -1) return undefined;
    const [address, entry] = sorted[found]!;
    return pc < address + entry.size ? entry.name : undefined;
  }
}

const IC_EVENT = /^(?:Keyed)?(?:Load|Store)IC,|^StoreInArrayLiteralIC,/;

/**
 * Reads a V8 log written with `--log-ic` and counts, by site, the inline
 * caches that went to V8's runtime in the megamorphic state at or after
 * `fromUs` (the log's own clock): each such line is a property access that
 * missed every cache and took the slow path. Only code whose name contains
 * `within` (a build's dist URL) counts. A site is `function path:line:column
 * key=<property>`, the path relative to `within`.
 */
export function megamorphicMisses(file: string, fromUs: number, within: string): Map<string, number> {
  const code = new CodeMap();
  const counts = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('code-creation,')) {
      const f = line.split(',');
      code.set(parseInt(f[4]!, 16), { size: Number(f[5]), name: f[6]! });
    } else if (line.startsWith('code-move,')) {
      const f = line.split(',');
      code.move(parseInt(f[1]!, 16), parseInt(f[2]!, 16));
    } else if (line.startsWith('code-delete,')) {
      code.delete(parseInt(line.split(',')[1]!, 16));
    } else if (IC_EVENT.test(line)) {
      // type, pc, time, line, column, old state, new state, map, key, ...
      const f = line.split(',');
      if (f[6] !== 'N' || Number(f[2]) < fromUs) continue;
      const name = code.nameAt(parseInt(f[1]!, 16));
      if (name === undefined || !name.includes(within)) continue;
      const site = `${name.replace(/^[*~^]/, '').replace(within, '')} key=${f[8]}`;
      counts.set(site, (counts.get(site) ?? 0) + 1);
    }
  }
  return counts;
}
