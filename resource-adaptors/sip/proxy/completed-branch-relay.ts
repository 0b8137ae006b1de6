import type { SipResponse } from '../message/index.js';
import type { ClientTransactionOwner, ServerTransaction } from '../transaction/index.js';
import type { ProxyBranch } from './proxy-branch.js';
import type { ProxyHost } from './proxy-host.js';

/**
 * What a completed context leaves its branch's transaction in its place
 * (§16.7 step 5): the branch's final status is recorded and every 2xx goes
 * upstream, a forked one or a retransmission, with our Via removed. Three
 * references, where the context holds the request's whole forwarding state.
 * A branch that already has its final response is not kept: nothing can
 * change it, and its target and strings would wait out Timer M for nothing.
 */
export class CompletedBranchRelay implements ClientTransactionOwner {
  constructor(
    private readonly branch: ProxyBranch | undefined,
    private readonly host: ProxyHost<unknown>,
    private readonly upstream: ServerTransaction,
  ) {}

  onResponse(response: SipResponse): void {
    const status = response.status;
    if (status < 200) return;
    this.branch?.settle(status);
    if (status >= 300) return;
    response.removeTopVia();
    try {
      this.host.sendUpstream(this.upstream, response);
    } catch (err) {
      this.host.reportError(err);
    }
  }
}
