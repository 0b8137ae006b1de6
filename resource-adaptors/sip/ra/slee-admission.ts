import type { Admission } from '../../../slee/overload/admission.js';
import type { SipAdmission } from '../stack/index.js';

/** The SLEE's admission control, as the stack asks it: new out-of-dialog requests only; `refused` hears of each one turned away. */
export function sleeAdmission(admission: Admission, refused: (callId: string) => void): SipAdmission {
  return {
    admit: (request) => {
      if (admission.admit()) return true;
      refused(request.callId);
      return false;
    },
    retryAfterSeconds: () => admission.retryAfterSeconds,
    rejectPercent: () => admission.rejectFraction * 100,
  };
}
