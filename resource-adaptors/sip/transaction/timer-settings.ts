/** RFC 3261 §17 / Table 4 base timers; everything else derives from them. */
export interface TimerSettings {
  /** RTT estimate: first retransmission interval (A, E, G). */
  t1: number;
  /** Cap on non-INVITE request and INVITE response retransmission intervals. */
  t2: number;
  /** Maximum time a message stays in the network (K, I). */
  t4: number;
  /** Timer D on unreliable transports (RFC 3261: at least 32 s). */
  timerD: number;
  /** INVITE server: send 100 Trying if the TU has not answered within this (§17.2.1). */
  trying100: number;
}

export const DEFAULT_TIMER_SETTINGS: Readonly<TimerSettings> = {
  t1: 500,
  t2: 4000,
  t4: 5000,
  timerD: 32000,
  trying100: 200,
};

export function resolveTimerSettings(partial: Partial<TimerSettings> = {}): TimerSettings {
  return { ...DEFAULT_TIMER_SETTINGS, ...partial };
}
