import type { BenchResult } from './bench-result.js';

/** The result of a benchmark whose tool is missing on this machine: the reason, printed and recorded, instead of figures. */
export function skipped(name: string, reason: string): BenchResult {
  console.warn(`${name}: skipped: ${reason}`);
  return { name, rows: [{ skipped: reason }], params: { skipped: reason } };
}
