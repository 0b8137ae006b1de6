/**
 * Asked about every new out-of-dialog request (not ACK, CANCEL or BYE)
 * before a transaction is made for it, parsed or, while shedding, only
 * scanned (see `OverloadScreen`): so it sees the method and Call-ID alone.
 */
export interface SipAdmission {
  /** False to refuse the request statelessly with 503 and Retry-After. */
  admit(request: { readonly method: string; readonly callId: string }): boolean;
  retryAfterSeconds(): number;
  /** Share of new requests being refused, 0..100, for RFC 7339's `oc` parameter. */
  rejectPercent(): number;
}
