/** A registered contact of an address of record (RFC 3261 §10). */
export interface Binding {
  aor: string;
  /** The contact URI. */
  contact: string;
  q: number;
  /** Epoch ms. */
  expiresAt: number;
  callId: string;
  cseq: number;
  path?: string[];
  /** RFC 5626: an outbound registration's `+sip.instance` (unquoted) and `reg-id`; the binding is that flow. */
  instance?: string;
  regId?: number;
}
