import type { SipRequest } from '../message/index.js';

/** Asked about every new out-of-dialog request (not ACK, CANCEL or BYE) before a transaction is made for it. */
export interface SipAdmission {
  /** False to refuse the request statelessly with 503 and Retry-After. */
  admit(request: SipRequest): boolean;
  retryAfterSeconds(): number;
  /** Share of new requests being refused, 0..100, for RFC 7339's `oc` parameter. */
  rejectPercent(): number;
}
