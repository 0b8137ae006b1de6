import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { MessageSource } from '../transport/transport-types.js';
import { ServerTransaction } from './server-transaction.js';

export type NonInviteServerState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

/** RFC 3261 §17.2.2 (timer J). */
export class NonInviteServerTransaction extends ServerTransaction {
  readonly kind = 'non-invite-server' as const;
  private current: NonInviteServerState = 'Trying';

  get state(): NonInviteServerState {
    return this.current;
  }

  get awaitingFinal(): boolean {
    return this.current === 'Trying' || this.current === 'Proceeding';
  }

  respond(response: SipResponse): void {
    if (this.current !== 'Trying' && this.current !== 'Proceeding') {
      throw new SleetError(ErrorCode.SIP_TRANSACTION, `${this.method} server transaction cannot send ${response.status} in state ${this.current}`);
    }
    if (response.status < 200) {
      this.sendProvisional(response);
      this.current = 'Proceeding';
      return;
    }
    // On a reliable transport Timer J is zero: nothing will be re-sent.
    this.sendFinal(response, !this.reliable);
    this.current = 'Completed';
    this.waitThenTerminate(this.reliable ? 0 : 64 * this.ctx.timers.t1);
  }

  /** Retransmissions: absorbed while Trying, answered with the last response afterwards. */
  receive(_request: SipRequest, _source: MessageSource): void {
    if (this.current === 'Proceeding' || this.current === 'Completed') this.resendLast();
  }

  protected override onTerminated(): void {
    this.current = 'Terminated';
  }
}
