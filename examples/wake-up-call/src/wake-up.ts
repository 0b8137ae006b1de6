/** A booked wake-up call: the durable timer's payload, so whoever handles the expiry knows whom to call. */
export interface WakeUp {
  /** The subscriber's SIP URI, called at `at`. */
  who: string;
  /** Due time, ms since the epoch. */
  at: number;
}

/** The payload of the timer that ends an answered wake-up call. */
export interface HangUp {
  hangUp: true;
}
