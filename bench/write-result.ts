import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './bench-result.js';

/** Writes a result with the machine it ran on to `<dir>/<name>-<time>.json` and returns the file's path. */
export function writeResult(dir: string, result: BenchResult, machine: Record<string, unknown>, at = new Date()): string {
  const file = join(dir, `${result.name}-${at.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ ...result, machine, at: at.toISOString() }, null, 2));
  return file;
}
