import type { SipResponse } from '../message/index.js';
import type { MessageSource } from '../transport/transport-types.js';
import { buildCancel } from './build-cancel.js';
import { buildNonSuccessAck } from './build-ack.js';
import { ClientTransaction } from './client-transaction.js';
import type { ClientTransactionOwner } from './transaction-user.js';
import { WireCopy } from './wire-copy.js';

export type InviteClientState = 'Calling' | 'Proceeding' | 'Accepted' | 'Completed' | 'Terminated';

/** For a CANCEL nobody waits on, and for the copy a failover leaves on the old branch. */
const IGNORE_RESPONSES: ClientTransactionOwner = { onResponse: () => undefined };

/** RFC 3261 §17.1.1 with the RFC 6026 Accepted state (timers A, B, D, M). */
export class InviteClientTransaction extends ClientTransaction {
  readonly kind = 'invite-client' as const;
  private current: InviteClientState = 'Calling';
  /** Completed: the ACK for the non-2xx, re-sent on each retransmission of it (Timer D). */
  private ack: WireCopy | undefined = undefined;
  private pendingCancel: { owner: ClientTransactionOwner } | undefined = undefined;
  private cancelTx: ClientTransaction | undefined = undefined;

  get state(): InviteClientState {
    return this.current;
  }

  /** The CANCEL's own non-INVITE client transaction, once sent. */
  get cancelTransaction(): ClientTransaction | undefined {
    return this.cancelTx;
  }

  start(): void {
    const { t1 } = this.ctx.timers;
    this.startTimer('B', 64 * t1, () => {
      if (this.current === 'Calling') this.timeout();
    });
    this.sendInitial(() => {
      if (this.current === 'Calling' && !this.reliable) this.scheduleA(t1);
    });
  }

  /**
   * §9.1: cancels the INVITE with a CANCEL in its own non-INVITE client
   * transaction. Before any provisional response the CANCEL is held back
   * until one arrives; after a final response there is nothing to cancel.
   * Returns whether a CANCEL was sent or queued.
   */
  cancel(owner: ClientTransactionOwner = IGNORE_RESPONSES): boolean {
    if (this.cancelTx !== undefined || this.pendingCancel !== undefined) return true;
    if (this.current === 'Proceeding') {
      this.sendCancel(owner);
      return true;
    }
    if (this.current === 'Calling') {
      this.pendingCancel = { owner };
      return true;
    }
    return false;
  }

  receive(response: SipResponse, source: MessageSource): void {
    const status = response.status;
    switch (this.current) {
      case 'Calling':
      case 'Proceeding':
        if (status === 503 && this.failOver(response, source)) return;
        this.stopTimer('A');
        if (status < 200) {
          this.current = 'Proceeding';
          // Timer B only guards Calling; once a provisional arrives the TU (or a proxy's Timer C) decides.
          this.stopTimer('B');
          this.deliver(response);
          if (this.pendingCancel !== undefined) {
            const { owner } = this.pendingCancel;
            this.pendingCancel = undefined;
            this.sendCancel(owner);
          }
        } else if (status < 300) {
          this.current = 'Accepted';
          this.pendingCancel = undefined;
          this.stopTimer('B');
          this.waitThenTerminate(64 * this.ctx.timers.t1);
          this.deliver(response);
        } else {
          this.current = 'Completed';
          this.pendingCancel = undefined;
          this.stopTimer('B');
          const ack = buildNonSuccessAck(this.request, response);
          // Its Via is the INVITE's, which the transport stamped when the INVITE went out: these are the bytes sent.
          this.ack = new WireCopy(ack, this.nextHopDestination);
          this.retransmit(ack);
          this.deliver(response);
          this.waitThenTerminate(this.reliable ? 0 : this.ctx.timers.timerD);
        }
        return;
      case 'Accepted':
        // RFC 6026 §8.4: 2xx retransmissions and forked 2xx go to the TU, which ACKs them.
        if (status >= 200 && status < 300) this.deliver(response);
        return;
      case 'Completed':
        if (status >= 300 && this.ack !== undefined) this.resend(this.ack);
        return;
      case 'Terminated':
        return;
    }
  }

  protected override mayFailOver(): boolean {
    return this.pendingCancel === undefined && this.cancelTx === undefined;
  }

  /** The 503 goes to a copy of this transaction on the old branch, which ACKs it and absorbs its retransmissions (§17.1.1.3). */
  protected override leaveBehind(answered: SipResponse, source: MessageSource): void {
    const old = new InviteClientTransaction(this.ctx, this.id, this.request.clone(), this.target, IGNORE_RESPONSES);
    if (this.sent !== undefined) old.sent = this.sent;
    this.ctx.adopt(old);
    old.receive(answered, source);
  }

  protected rewind(): void {
    this.current = 'Calling';
  }

  protected override onTerminated(): void {
    this.current = 'Terminated';
    super.onTerminated();
  }

  private scheduleA(interval: number): void {
    this.startTimer('A', interval, () => {
      if (this.current !== 'Calling') return;
      this.retransmit();
      this.scheduleA(interval * 2);
    });
  }

  private sendCancel(owner: ClientTransactionOwner): void {
    this.cancelTx = this.ctx.createClientTransaction(buildCancel(this.request), this.nextHop, owner);
  }
}
