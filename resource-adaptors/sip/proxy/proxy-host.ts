import type { Clock } from '../../../base/clock/clock.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { ClientTransaction, ClientTransactionOwner, ServerTransaction } from '../transaction/index.js';
import type { ProxyTarget } from './proxy-target.js';

/**
 * What a ProxyContext needs from the ProxyCore that created it. `C` is the
 * context type, a parameter so that this file need not import proxy-context.ts,
 * which imports it.
 */
export interface ProxyHost<C> {
  readonly clock: Clock;
  readonly defaultTimerC: number;
  /** §16.6: builds one copy of `received` for `target` and starts its client transaction. */
  forwardBranch(
    received: SipRequest,
    target: ProxyTarget,
    recordRoute: boolean,
    incoming: ServerTransaction,
    owner: ClientTransactionOwner,
  ): { request: SipRequest; tx: ClientTransaction };
  /** Sends a response upstream, statelessly once the server transaction is gone (late 2xx). */
  sendUpstream(tx: ServerTransaction, response: SipResponse): void;
  finished(ctx: C): void;
  reportError(err: unknown): void;
}
