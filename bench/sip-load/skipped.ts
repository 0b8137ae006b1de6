import type { BenchResult } from '../bench-result.js';
import { skipped } from '../skipped.js';
import { SIPP_MISSING } from './sipp.js';

/** The result of a SIPp benchmark on a machine without SIPp. */
export function skippedWithoutSipp(name: string): BenchResult {
  return skipped(name, SIPP_MISSING);
}
