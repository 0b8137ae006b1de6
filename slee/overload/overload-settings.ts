/** When the node counts as overloaded, and how it tells the shed work to come back. */
export interface OverloadSettings {
  /** Event-loop utilisation (0..1) over one sample above which new work is shed. */
  readonly maxUtilisation: number;
  /** Event-loop delay (p99 over one sample, ms) above which new work is shed. */
  readonly maxDelayMs: number;
  /** Input wait (ms, as adaptors note it: a datagram's time in its socket's queue) above which new work is shed. */
  readonly maxInputDelayMs: number;
  /** Events queued or in delivery at which new work is refused outright: the router's queue bound. */
  readonly maxBacklog: number;
  /** How often load is sampled, ms. */
  readonly intervalMs: number;
  /** Overloaded samples in a row before shedding starts. */
  readonly sustain: number;
  /**
   * Samples in a row over `maxUtilisation` with input waiting under a
   * quarter of `maxInputDelayMs` (and no loop delay or backlog past its
   * limit) before shedding starts: such a loop is keeping up, and a burst
   * of its own work (a collection, compiling) or a neighbour on its core
   * saturates it briefly. Saturated with input waiting longer, `sustain`.
   */
  readonly saturationSustain: number;
  /**
   * New requests asked about within a sample for it to count as overloaded:
   * a node kept busy by something else (a bundle build, a neighbour on the
   * machine) gains nothing by refusing a trickle of requests.
   */
  readonly minRequestsPerSample: number;
  /** Retry-After given to shed requests, seconds. */
  readonly retryAfterSeconds: number;
}

export const DEFAULT_OVERLOAD_SETTINGS: OverloadSettings = {
  maxUtilisation: 0.95,
  maxDelayMs: 200,
  maxInputDelayMs: 100,
  maxBacklog: 10_000,
  intervalMs: 100,
  sustain: 3,
  saturationSustain: 10,
  minRequestsPerSample: 20,
  retryAfterSeconds: 2,
};
