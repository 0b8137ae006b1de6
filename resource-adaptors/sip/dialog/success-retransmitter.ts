import type { Clock, TimerHandle } from '../../../base/clock/clock.js';
import type { TimerSettings } from '../transaction/index.js';

/**
 * RFC 3261 §13.3.1.4 (owned by the TU since RFC 6026): a UAS re-sends its
 * 2xx to INVITE from T1 doubling up to T2 until the ACK arrives, and gives
 * up after 64*T1. On reliable transports only the give-up timer runs.
 */
export class SuccessRetransmitter {
  private retransmitTimer?: TimerHandle;
  private giveUpTimer?: TimerHandle;

  constructor(
    private readonly clock: Clock,
    private readonly timers: TimerSettings,
    private readonly resend: () => void,
    onGiveUp: () => void,
    reliable: boolean,
  ) {
    if (!reliable) this.schedule(timers.t1);
    this.giveUpTimer = clock.schedule(64 * timers.t1, () => {
      this.giveUpTimer = undefined;
      this.stop();
      onGiveUp();
    });
  }

  stop(): void {
    if (this.retransmitTimer !== undefined) this.clock.cancel(this.retransmitTimer);
    if (this.giveUpTimer !== undefined) this.clock.cancel(this.giveUpTimer);
    this.retransmitTimer = undefined;
    this.giveUpTimer = undefined;
  }

  private schedule(interval: number): void {
    this.retransmitTimer = this.clock.schedule(interval, () => {
      this.resend();
      this.schedule(Math.min(2 * interval, this.timers.t2));
    });
  }
}
