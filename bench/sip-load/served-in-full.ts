import type { SystemStep } from './system-step.js';

/**
 * A step of `uac-call-or-503.xml` with every call refused by a 503 counted
 * as failed: the overload bench's ceiling is then a rate the node serves in
 * full, which is what its recovery test asks of the node after the overload.
 */
export function servedInFull(step: SystemStep): SystemStep {
  return { ...step, failed: step.failed + step.successful - step.admitted };
}
