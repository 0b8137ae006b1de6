import type { CallRecord } from '../../resource-adaptors/sip/stack/call-record.js';

/** A call detail record: one call attempt as stored in `sleet_cdrs`. Times are epoch ms. */
export interface Cdr extends CallRecord {
  /** The node that handled the call. */
  readonly node: string;
  /** The SIP resource-adaptor entity it came through. */
  readonly entity: string;
}

/** What `/cdrs` and `sleet cdr` select on: a time range on the start time, and a user as caller, callee or target. */
export interface CdrQuery {
  /** Epoch ms, inclusive. */
  readonly from?: number;
  /** Epoch ms, exclusive. */
  readonly to?: number;
  /** Matches a caller, callee or target containing it (`bob`, `sip:bob@example.com`). */
  readonly user?: string;
  /** Most recent first; default 1000. */
  readonly limit?: number;
}
