/** Why a call attempt ended. */
export type CallEndReason = 'caller-hangup' | 'callee-hangup' | 'cancelled' | 'rejected' | 'redirected' | 'failed' | 'challenged' | 'expired';

/** One call attempt through the node, from its INVITE to its end: what accounting writes and logs. */
export interface CallRecord {
  readonly callId: string;
  /** `sip:user@host` of the From header. */
  readonly caller: string;
  /** `sip:user@host` of the To header: who the caller dialled. */
  readonly callee: string;
  /** The Request-URI of the last INVITE the node sent on: the final target after forwarding; null when it sent none. */
  readonly target: string | null;
  /** `name:vendor:version` of the service that answered the INVITE (decided its fate); null when none did. */
  readonly service: string | null;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly answeredAt: number | null;
  readonly endedAt: number;
  /** From answer to end; 0 for a call never answered. */
  readonly durationMs: number;
  /** The final response to the INVITE. */
  readonly status: number;
  readonly endReason: CallEndReason;
}

/** A REGISTER answered with a final response other than a challenge. */
export interface RegistrationRecord {
  readonly callId: string;
  /** `sip:user@host` of the To header. */
  readonly aor: string;
  readonly contacts: readonly string[];
  /** Seconds granted (the Contact's expires in a 2xx), else the request's Expires header; null when neither says. */
  readonly expires: number | null;
  readonly status: number;
  /** `address:port` the REGISTER came from. */
  readonly source: string;
}
