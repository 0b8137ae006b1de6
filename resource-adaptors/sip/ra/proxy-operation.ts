import type { SipResponse, SipUri } from '../message/index.js';
import type { ProxyContext, ProxyTarget } from '../proxy/index.js';

/** What an SBB holds of a request it proxies: add targets, cancel branches, release a held final response. */
export class ProxyOperation {
  constructor(private readonly context: ProxyContext) {}

  get isCompleted(): boolean {
    return this.context.isCompleted;
  }

  get finalResponse(): SipResponse | undefined {
    return this.context.finalResponse;
  }

  /** Final statuses of the branches so far. */
  get branchStatuses(): number[] {
    return this.context.branches.map((b) => b.finalResponse?.status ?? 0);
  }

  get pendingBranches(): number {
    return this.context.pendingBranches.length;
  }

  /** Forwards to another target (call forwarding on busy or no answer). */
  addTarget(uri: SipUri | string, q?: number): void {
    this.context.addTarget({ uri, ...(q === undefined ? {} : { q }) } as ProxyTarget);
  }

  /** CANCELs every pending branch (a no-answer timer fired). */
  cancelAll(): void {
    this.context.cancelAll();
  }

  /** @internal */
  hold(): void {
    this.context.hold();
  }

  /** Lets a held final response go upstream, unless new targets are pending. */
  release(): void {
    this.context.release();
  }
}
