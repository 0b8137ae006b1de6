/** One header line as received: `key` is the lower-case long form used for lookups. */
export interface HeaderSlot {
  key: string;
  /** Spelling seen on the wire (or given by the caller), kept for unknown headers. */
  name: string;
  /** Value with folding replaced by a single SP and surrounding SP/HT trimmed. */
  value: string;
  /**
   * Offset of this line in the received header section when it reads
   * exactly `Canonical-Name: value`, so that re-serialising can reuse the
   * received text. Unset once the value changes.
   */
  textStart?: number;
}
