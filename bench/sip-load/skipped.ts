import type { BenchResult } from '../bench-result.js';
import { SIPP_MISSING } from './sipp.js';

/** The result of a SIPp benchmark on a machine without SIPp: the reason, printed and recorded, instead of figures. */
export function skippedWithoutSipp(name: string): BenchResult {
  console.warn(`${name}: skipped: ${SIPP_MISSING}`);
  return { name, rows: [{ skipped: SIPP_MISSING }], params: { skipped: SIPP_MISSING } };
}
