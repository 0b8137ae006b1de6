import type { SipResponse } from '../message/index.js';
import type { MessageSource } from '../transport/transport-types.js';
import { ClientTransaction } from './client-transaction.js';

export type NonInviteClientState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

/** RFC 3261 §17.1.2 (timers E, F, K). */
export class NonInviteClientTransaction extends ClientTransaction {
  readonly kind = 'non-invite-client' as const;
  private current: NonInviteClientState = 'Trying';

  get state(): NonInviteClientState {
    return this.current;
  }

  start(): void {
    const { t1 } = this.ctx.timers;
    this.startTimer('F', 64 * t1, () => this.timeout());
    this.sendInitial(() => {
      if ((this.current === 'Trying' || this.current === 'Proceeding') && !this.reliable) this.scheduleE(t1);
    });
  }

  receive(response: SipResponse, source: MessageSource): void {
    if (this.current !== 'Trying' && this.current !== 'Proceeding') return; // Completed absorbs retransmissions
    if (response.status === 503 && this.failOver(response, source)) return;
    if (response.status < 200) {
      this.current = 'Proceeding';
      this.deliver(response);
      return;
    }
    this.current = 'Completed';
    this.stopTimer('E');
    this.stopTimer('F');
    this.deliver(response);
    this.waitThenTerminate(this.reliable ? 0 : this.ctx.timers.t4);
  }

  protected rewind(): void {
    this.current = 'Trying';
  }

  protected override onTerminated(): void {
    this.current = 'Terminated';
    super.onTerminated();
  }

  /** Doubles from T1 up to T2 while Trying; fixed at T2 once Proceeding. */
  private scheduleE(interval: number): void {
    this.startTimer('E', interval, () => {
      if (this.current !== 'Trying' && this.current !== 'Proceeding') return;
      this.retransmit();
      const { t2 } = this.ctx.timers;
      this.scheduleE(this.current === 'Proceeding' ? t2 : Math.min(2 * interval, t2));
    });
  }
}
