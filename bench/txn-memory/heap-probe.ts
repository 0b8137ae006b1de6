import { writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';

/** Heap and off-heap (Buffer contents) bytes in use after full GCs. */
export interface HeapReading {
  heapUsed: number;
  external: number;
}

/**
 * Reads the heap after full GCs (node --expose-gc). With SLEET_HEAP_SNAPSHOT_DIR
 * set, also writes a heap snapshot named `label`, for bench/heap-diff.js.
 */
export function readHeap(label: string): HeapReading {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run node with --expose-gc to measure the heap');
  // Two passes: the first may only queue finalizers and weak-reference cleanups.
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  const dir = process.env['SLEET_HEAP_SNAPSHOT_DIR'];
  if (dir) writeHeapSnapshot(join(dir, `${label}.heapsnapshot`));
  return { heapUsed, external };
}

/** Bytes per item between two readings. */
export function perItem(before: HeapReading, after: HeapReading, items: number): { heap: number; external: number } {
  return {
    heap: Math.round((after.heapUsed - before.heapUsed) / items),
    external: Math.round((after.external - before.external) / items),
  };
}
