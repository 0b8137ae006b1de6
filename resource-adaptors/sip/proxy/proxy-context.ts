import { EventEmitter } from 'node:events';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { SipResponse, SipUri, type SipRequest } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import { selectBestResponse } from './best-response.js';
import { CompletedBranchRelay } from './completed-branch-relay.js';
import { ProxyBranch } from './proxy-branch.js';
import type { ProxyHost } from './proxy-host.js';
import type { ProxyTarget } from './proxy-target.js';

export interface ProxyOptions {
  /** Insert Record-Route so in-dialog requests come back through us (default true; ignored in dialog). */
  recordRoute?: boolean;
  /** true (default): every target at once; false: q-value groups one after the other, highest first. */
  parallel?: boolean;
  /** Timer C in ms for INVITE branches (default: the core's, above 3 minutes). */
  timerC?: number;
  /** Every response on a branch but 100, before it is relayed; `ctx.addTarget()` here forwards on busy etc. */
  onBranchResponse?: (branch: ProxyBranch, response: SipResponse, ctx: ProxyContext) => void;
  /** The best final response, just before it goes upstream; adding a target here keeps the context going. */
  onFinalResponse?: (response: SipResponse, ctx: ProxyContext) => void;
  /**
   * The final response, once it went upstream (or the refusal of a request
   * that could not be forwarded); the context lets go of it afterwards. Runs
   * before `proxyTo()` returns when the context completes at once.
   */
  onCompleted?: (response: SipResponse, ctx: ProxyContext) => void;
}

export interface ProxyContextEvents {
  'branch-response': [branch: ProxyBranch, response: SipResponse];
  /** A response sent upstream: provisional, every 2xx, or the best final. */
  forwarded: [response: SipResponse];
  /** The final response that ended the context upstream (after `onCompleted`). */
  completed: [response: SipResponse];
}

/**
 * One stateful proxying operation (RFC 3261 §16.5-16.10): the branches
 * forwarded for a server transaction, their responses and the choice of
 * what goes upstream. An SBB can add targets and cancel branches until the
 * final response is sent. After that only 2xx from its branches are relayed
 * (§16.7 step 5), for as long as their client transactions wait (Timer M):
 * the context lets go of the request, the final response and its branches'
 * messages then. Unless someone listens for `forwarded` or `branch-response`
 * or gave `onBranchResponse`, the relaying is handed to a
 * CompletedBranchRelay per waiting branch, and the context itself can go.
 */
export class ProxyContext extends EventEmitter<ProxyContextEvents> {
  readonly branches: ProxyBranch[] = [];
  private completed = false;
  private received: SipRequest | undefined;
  private queued: ProxyTarget[][] = [];
  private holds = 0;
  /** How many branches there were when onFinalResponse was last asked: ask again only after new targets. */
  private askedAt = -1;
  private readonly recordRoute: boolean;
  private readonly timerC: number;
  private readonly parallel: boolean;
  private readonly onBranchResponse: ProxyOptions['onBranchResponse'];
  private onFinalResponse: ProxyOptions['onFinalResponse'];
  private onCompleted: ProxyOptions['onCompleted'];

  constructor(
    private readonly host: ProxyHost<ProxyContext>,
    readonly serverTransaction: ServerTransaction,
    request: SipRequest,
    options: ProxyOptions,
  ) {
    super();
    this.received = request;
    this.recordRoute = (options.recordRoute ?? true) && request.to.tag === undefined;
    this.timerC = options.timerC ?? host.defaultTimerC;
    this.parallel = options.parallel ?? true;
    this.onBranchResponse = options.onBranchResponse;
    this.onFinalResponse = options.onFinalResponse;
    this.onCompleted = options.onCompleted;
  }

  /** The received request after route processing (§16.4), until the context completes; reading it later throws SIP_PROXY. */
  get request(): SipRequest {
    if (this.received === undefined) throw new SleetError(ErrorCode.SIP_PROXY, 'the proxy context let go of its request when it completed');
    return this.received;
  }

  /** True once the final response (first 2xx or best non-2xx) went upstream. */
  get isCompleted(): boolean {
    return this.completed;
  }

  /** Branches still waiting for a final response. */
  get pendingBranches(): ProxyBranch[] {
    return this.branches.filter((b) => b.state !== 'completed');
  }

  /** Forwards to one more target at once. Throws SIP_PROXY once the final response went upstream. */
  addTarget(target: ProxyTarget): ProxyBranch {
    if (this.isCompleted) throw new SleetError(ErrorCode.SIP_PROXY, 'the final response was already sent upstream');
    const uri = typeof target.uri === 'string' ? SipUri.parse(target.uri) : target.uri;
    const q = target.q ?? 1;
    const owner = {
      onResponse: (response: SipResponse): void => this.receive(branch, response),
    };
    const { request, tx } = this.host.forwardBranch(this.request, { ...target, uri }, this.recordRoute, this.serverTransaction, owner);
    const branch = new ProxyBranch(uri, q, request, tx);
    this.branches.push(branch);
    if (branch.isInvite) this.armTimerC(branch);
    return branch;
  }

  /** CANCELs one pending INVITE branch (held by the transaction until it has a provisional). */
  cancelBranch(branch: ProxyBranch): void {
    branch.cancel();
  }

  /** CANCELs every pending branch and drops the targets not tried yet (e.g. a no-answer timer fired). */
  cancelAll(): void {
    this.queued = [];
    for (const branch of this.branches) branch.cancel();
  }

  /** Same as cancelAll(). */
  cancelBranches(): void {
    this.cancelAll();
  }

  /**
   * Keeps the best final response from going upstream until `release()`,
   * so a decision made elsewhere (an SBB handling an event) can still add
   * targets: forwarding on busy or no answer.
   */
  hold(): void {
    this.holds++;
  }

  release(): void {
    if (this.holds === 0) return;
    this.holds--;
    this.checkCompletion();
  }

  /** @internal ProxyCore: starts forwarding (parallel, or by q groups). */
  start(targets: ProxyTarget[]): void {
    if (this.request.method === 'INVITE') this.safe(() => this.serverTransaction.respond(SipResponse.fromRequest(this.request, 100, 'Trying')));
    if (this.parallel) {
      this.queued = targets.length > 0 ? [targets] : [];
    } else {
      const byQ = new Map<number, ProxyTarget[]>();
      for (const t of targets) byQ.set(t.q ?? 1, [...(byQ.get(t.q ?? 1) ?? []), t]);
      this.queued = [...byQ.entries()].sort((a, b) => b[0] - a[0]).map(([, group]) => group);
    }
    this.checkCompletion();
  }

  private receive(branch: ProxyBranch, response: SipResponse): void {
    response.removeTopVia();
    const status = response.status;
    if (status < 200) {
      if (status === 100 || branch.state === 'completed') return;
      // A completed context keeps no messages (see the class), and has no pending branch for Timer C to end.
      if (!this.isCompleted) {
        branch.provisional = response;
        if (branch.isInvite) this.armTimerC(branch);
      }
      this.branchEvent(branch, response);
      if (!this.isCompleted) this.upstream(response);
      return;
    }
    const first = branch.settle(status);
    if (first) {
      this.stopTimerC(branch);
      if (!this.isCompleted) branch.finalResponse = response;
    }
    if (status < 300) {
      if (first) this.branchEvent(branch, response);
      this.upstream(response);
      if (!this.isCompleted) {
        this.completed = true;
        this.cancelAll();
        this.finish(response);
      }
      return;
    }
    if (!first || this.isCompleted) return;
    if (status >= 600) this.cancelAll();
    this.branchEvent(branch, response);
    this.checkCompletion();
  }

  private checkCompletion(): void {
    if (this.isCompleted || this.pendingBranches.length > 0) return;
    const next = this.queued.shift();
    if (next !== undefined) {
      for (const target of next) this.safe(() => this.addTarget(target));
      if (this.pendingBranches.length > 0) return;
    }
    const best =
      selectBestResponse(this.branches.map((b) => b.finalResponse!).filter((r) => r !== undefined)) ??
      SipResponse.fromRequest(this.request, 408, 'Request Timeout');
    const onFinalResponse = this.onFinalResponse;
    if (this.holds === 0 && this.askedAt !== this.branches.length && onFinalResponse !== undefined) {
      this.askedAt = this.branches.length;
      this.safe(() => onFinalResponse(best, this));
    }
    if (this.pendingBranches.length > 0 || this.isCompleted || this.holds > 0) return;
    this.completed = true;
    this.upstream(best);
    this.finish(best);
  }

  /** @internal ProxyCore: the request cannot be forwarded (§16.3); `response` answers it. */
  refuse(response: SipResponse): void {
    this.completed = true;
    this.safe(() => this.serverTransaction.respond(response));
    this.finish(response);
  }

  private finish(response: SipResponse): void {
    const onCompleted = this.onCompleted;
    if (onCompleted !== undefined) this.safe(() => onCompleted(response, this));
    this.safe(() => this.emit('completed', response));
    this.host.finished(this);
    this.received = undefined;
    this.onFinalResponse = undefined;
    this.onCompleted = undefined;
    const handOver = this.onBranchResponse === undefined && this.listenerCount('forwarded') === 0 && this.listenerCount('branch-response') === 0;
    for (const branch of this.branches) {
      branch.release();
      // No branch is pending any more (§16.7 step 10 cancelled them), so Timer C has nothing left to do.
      this.stopTimerC(branch);
      if (handOver && !branch.transaction.isTerminated) {
        branch.transaction.handOver(new CompletedBranchRelay(branch.state === 'completed' ? undefined : branch, this.host, this.serverTransaction));
      }
    }
  }

  private upstream(response: SipResponse): void {
    this.safe(() => this.host.sendUpstream(this.serverTransaction, response));
    this.safe(() => this.emit('forwarded', response));
  }

  private branchEvent(branch: ProxyBranch, response: SipResponse): void {
    const onBranchResponse = this.onBranchResponse;
    if (onBranchResponse !== undefined) this.safe(() => onBranchResponse(branch, response, this));
    this.safe(() => this.emit('branch-response', branch, response));
  }

  /** §16.6 step 11 / §16.7 step 2: started with the branch, restarted by each provisional. */
  private armTimerC(branch: ProxyBranch): void {
    this.stopTimerC(branch);
    branch.timerC = this.host.clock.schedule(this.timerC, () => {
      branch.timerC = undefined;
      if (branch.state !== 'pending') return;
      if (branch.provisional !== undefined) {
        branch.cancel();
        return;
      }
      // No provisional: the branch counts as a 408 (§16.8); the held CANCEL cleans the transaction up.
      branch.cancel();
      this.receive(branch, SipResponse.fromRequest(branch.request, 408, 'Request Timeout'));
    });
  }

  private stopTimerC(branch: ProxyBranch): void {
    if (branch.timerC !== undefined) this.host.clock.cancel(branch.timerC);
    branch.timerC = undefined;
  }

  private safe(fn: () => unknown): void {
    try {
      fn();
    } catch (err) {
      this.host.reportError(err);
    }
  }
}
