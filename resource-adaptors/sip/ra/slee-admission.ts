import type { Admission } from '../../../slee/overload/admission.js';
import type { SipAdmission } from '../stack/index.js';

/** The SLEE's admission control, as the stack asks it: new out-of-dialog requests only. */
export function sleeAdmission(admission: Admission): SipAdmission {
  return {
    admit: () => admission.admit(),
    retryAfterSeconds: () => admission.retryAfterSeconds,
    rejectPercent: () => admission.rejectFraction * 100,
  };
}
