import type { TimerHandle } from '../clock/clock.js';
import type { SipRequest, SipResponse, SipUri } from '../message/index.js';
import type { ClientTransaction, InviteClientTransaction } from '../transaction/index.js';

/**
 * `pending` until a final response, `cancelled` once we sent (or queued) a
 * CANCEL and still wait for its final, `completed` with a final response.
 */
export type ProxyBranchState = 'pending' | 'cancelled' | 'completed';

/** One forwarded copy of the request (§16.6) and what came back on it. */
export class ProxyBranch {
  state: ProxyBranchState = 'pending';
  /** Set once a 101-199 arrived (a CANCEL can then go out at once). */
  provisional?: SipResponse;
  finalResponse?: SipResponse;
  /** @internal Timer C (INVITE only). */
  timerC?: TimerHandle;

  constructor(
    readonly target: SipUri,
    readonly q: number,
    readonly request: SipRequest,
    readonly transaction: ClientTransaction,
  ) {}

  /** The Via branch this copy carries. */
  get branch(): string {
    return this.request.topVia?.branch ?? '';
  }

  get isInvite(): boolean {
    return this.request.method === 'INVITE';
  }

  /** @internal Sends (or queues until a provisional) a CANCEL for an INVITE branch. */
  cancel(): void {
    if (this.state !== 'pending') return;
    this.state = 'cancelled';
    if (this.isInvite) (this.transaction as InviteClientTransaction).cancel();
  }
}
