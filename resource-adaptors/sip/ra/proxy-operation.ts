import type { SipResponse, SipUri } from '../message/index.js';
import type { ProxyContext, ProxyTarget } from '../proxy/index.js';

/** What an SBB holds of a request it proxies: add targets, cancel branches, release a held final response. */
export class ProxyOperation {
  private readonly context: ProxyContext;
  private final: SipResponse | undefined;

  /**
   * @internal `start` proxies and hands its context's `onCompleted` hook the
   * function given to it: the context lets go of its final response once
   * completed, the operation keeps it for the SBB.
   */
  constructor(start: (keepFinal: (response: SipResponse) => void) => ProxyContext) {
    this.context = start((response) => (this.final = response));
  }

  get isCompleted(): boolean {
    return this.context.isCompleted;
  }

  /** The final response sent upstream, once completed. */
  get finalResponse(): SipResponse | undefined {
    return this.final;
  }

  /** Final statuses of the branches so far. */
  get branchStatuses(): number[] {
    return this.context.branches.map((b) => b.finalStatus);
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
