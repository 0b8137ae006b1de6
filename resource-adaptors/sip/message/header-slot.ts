/** One header line as received: `key` is the lower-case long form used for lookups. */
export interface HeaderSlot {
  key: string;
  /** Spelling seen on the wire (or given by the caller), kept for unknown headers. */
  name: string;
  /** Value with folding replaced by a single SP and surrounding SP/HT trimmed. */
  value: string;
}
