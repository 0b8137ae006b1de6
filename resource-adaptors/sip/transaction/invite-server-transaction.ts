import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { SipResponse, type SipRequest } from '../message/index.js';
import type { MessageSource } from '../transport/transport-types.js';
import { ServerTransaction } from './server-transaction.js';
import type { TransactionContext } from './transaction-context.js';

export type InviteServerState = 'Proceeding' | 'Completed' | 'Confirmed' | 'Accepted' | 'Terminated';

/** RFC 3261 §17.2.1 with the RFC 6026 Accepted state (timers G, H, I, L, plus the 200 ms 100 Trying). */
export class InviteServerTransaction extends ServerTransaction {
  readonly kind = 'invite-server' as const;
  private current: InviteServerState = 'Proceeding';
  private readonly startedAt: number;

  constructor(ctx: TransactionContext, id: string, request: SipRequest, source: MessageSource) {
    super(ctx, id, request, source);
    this.startedAt = ctx.clock.now();
    // Any response from the TU stops this timer, so when it fires nothing was sent yet.
    this.startTimer('Trying', ctx.timers.trying100, () => {
      if (this.current === 'Proceeding') this.sendProvisional(SipResponse.fromRequest(this.request, 100, 'Trying'));
    });
  }

  get state(): InviteServerState {
    return this.current;
  }

  get awaitingFinal(): boolean {
    return this.current === 'Proceeding';
  }

  respond(response: SipResponse): void {
    const status = response.status;
    if (this.current === 'Accepted' && status >= 200 && status < 300) {
      // RFC 6026 §7.1: the TU retransmits its 2xx through the transaction while Accepted.
      this.send(response);
      return;
    }
    if (this.current !== 'Proceeding') {
      throw new SleetError(ErrorCode.SIP_TRANSACTION, `INVITE server transaction cannot send ${status} in state ${this.current}`);
    }
    this.stopTimer('Trying');
    if (status < 200) {
      this.sendProvisional(response);
      return;
    }
    const { t1 } = this.ctx.timers;
    this.ctx.inviteToFinal.observe((this.ctx.clock.now() - this.startedAt) / 1000);
    if (status < 300) {
      // RFC 6026 §7.1: Accepted absorbs INVITE retransmissions; the TU, not the transaction, re-sends its 2xx.
      this.sendFinal(response, false);
      this.current = 'Accepted';
      this.waitThenTerminate(64 * t1);
      return;
    }
    this.sendFinal(response, true);
    this.current = 'Completed';
    if (!this.reliable) this.scheduleG(t1);
    this.startTimer('H', 64 * t1, () => this.terminate('timeout'));
  }

  receive(request: SipRequest, source: MessageSource): void {
    if (request.method === 'ACK') {
      if (this.current === 'Completed') {
        this.current = 'Confirmed';
        this.stopTimer('G');
        this.stopTimer('H');
        this.waitThenTerminate(this.reliable ? 0 : this.ctx.timers.t4);
      } else if (this.current === 'Accepted') {
        // RFC 6026 §8.7: ACKs for the 2xx belong to the TU, never absorbed.
        this.ctx.passAckUp(request, source);
      }
      return;
    }
    // INVITE retransmission: re-send the last provisional or the final; absorbed once Accepted/Confirmed.
    if (this.current === 'Proceeding' || this.current === 'Completed') this.resendLast();
  }

  protected override onTerminated(): void {
    this.current = 'Terminated';
  }

  private scheduleG(interval: number): void {
    this.startTimer('G', interval, () => {
      if (this.current !== 'Completed') return;
      this.resendLast();
      this.scheduleG(Math.min(2 * interval, this.ctx.timers.t2));
    });
  }
}
