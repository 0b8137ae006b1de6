import { readFileSync } from 'node:fs';

/**
 * What grew between two V8 heap snapshots, by constructor (objects,
 * closures) or by kind (strings, arrays, code): count and self size, with
 * the growth divided by `per` when given.
 *
 *   node dist/bench/heap-diff.js before.heapsnapshot after.heapsnapshot [per] [rows]
 *
 * The sip-transaction-memory benchmark writes such pairs when
 * SLEET_HEAP_SNAPSHOT_DIR is set.
 */
interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

interface Tally {
  count: number;
  bytes: number;
}

/** Objects and closures count by name; strings and the engine's own kinds by type, whatever their text. */
const BY_NAME = new Set(['object', 'closure', 'native', 'hidden', 'array']);

function tally(file: string): Map<string, Tally> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const out = new Map<string, Tally>();
  for (let i = 0; i < snap.nodes.length; i += stride) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const key = BY_NAME.has(type) ? `${type}: ${snap.strings[snap.nodes[i + nameAt]!]}` : type;
    const entry = out.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snap.nodes[i + sizeAt]!;
    out.set(key, entry);
  }
  return out;
}

function main(): void {
  const [beforeFile, afterFile, perArg, rowsArg] = process.argv.slice(2);
  if (beforeFile === undefined || afterFile === undefined) {
    console.error('usage: heap-diff <before.heapsnapshot> <after.heapsnapshot> [per] [rows]');
    process.exit(2);
  }
  const per = Number(perArg ?? 1);
  const before = tally(beforeFile);
  const after = tally(afterFile);
  const rows = [...after.entries()]
    .map(([key, a]) => {
      const b = before.get(key) ?? { count: 0, bytes: 0 };
      return { key, count: a.count - b.count, bytes: a.bytes - b.bytes };
    })
    .filter((r) => r.bytes !== 0)
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, Number(rowsArg ?? 30));
  const total = [...after.values()].reduce((s, t) => s + t.bytes, 0) - [...before.values()].reduce((s, t) => s + t.bytes, 0);
  console.table(rows.map((r) => ({ 'constructor / kind': r.key.slice(0, 60), 'count/per': round(r.count / per), 'bytes/per': round(r.bytes / per) })));
  console.log(`total self size growth: ${total} bytes, ${round(total / per)} per item`);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

main();
