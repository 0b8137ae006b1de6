import type { TimerHandle } from '../../../base/clock/clock.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { SipRequest, SipResponse, SipUri } from '../message/index.js';
import type { ClientTransaction, InviteClientTransaction } from '../transaction/index.js';

/**
 * `pending` until a final response, `cancelled` once we sent (or queued) a
 * CANCEL and still wait for its final, `completed` with a final response.
 */
export type ProxyBranchState = 'pending' | 'cancelled' | 'completed';

/**
 * One forwarded copy of the request (§16.6) and what came back on it. Once
 * its context has completed, the branch lets go of the messages (the copy,
 * `provisional`, `finalResponse`) and keeps its state and final status.
 */
export class ProxyBranch {
  state: ProxyBranchState = 'pending';
  /** The final response's status; 0 until one arrives. */
  finalStatus = 0;
  /** Set once a 101-199 arrived (a CANCEL can then go out at once). */
  provisional: SipResponse | undefined = undefined;
  finalResponse: SipResponse | undefined = undefined;
  /** @internal Timer C (INVITE only). */
  timerC: TimerHandle | undefined = undefined;
  /** The Via branch this copy was first sent with (an RFC 3263 failover gives its transaction a new one). */
  readonly branch: string;
  readonly isInvite: boolean;
  private forwarded: SipRequest | undefined;

  constructor(
    readonly target: SipUri,
    readonly q: number,
    request: SipRequest,
    readonly transaction: ClientTransaction,
  ) {
    this.forwarded = request;
    this.branch = request.topVia?.branch ?? '';
    this.isInvite = request.method === 'INVITE';
  }

  /** The copy forwarded on this branch, until its context completes; reading it later throws SIP_PROXY. */
  get request(): SipRequest {
    if (this.forwarded === undefined) throw new SleetError(ErrorCode.SIP_PROXY, `proxy branch ${this.branch} let go of its request when its context completed`);
    return this.forwarded;
  }

  /** @internal Sends (or queues until a provisional) a CANCEL for an INVITE branch. */
  cancel(): void {
    if (this.state !== 'pending') return;
    this.state = 'cancelled';
    if (this.isInvite) (this.transaction as InviteClientTransaction).cancel();
  }

  /** @internal The first final response: returns false for any after it. */
  settle(status: number): boolean {
    if (this.state === 'completed') return false;
    this.state = 'completed';
    this.finalStatus = status;
    return true;
  }

  /** @internal The context completed: only the state matters from now on. */
  release(): void {
    this.forwarded = undefined;
    this.provisional = undefined;
    this.finalResponse = undefined;
  }
}
