import type { TimerHandle } from '../../../base/clock/clock.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { SleetError } from '../../../base/errors/sleet-error.js';
import type { SipRequest } from '../message/index.js';
import type { TransactionContext } from './transaction-context.js';

export type TerminationReason = 'normal' | 'timeout' | 'transport-error' | 'closed';

/** State common to the four RFC 3261 §17 machines: identity, named timers, termination. */
export abstract class Transaction {
  abstract readonly kind: 'invite-client' | 'non-invite-client' | 'invite-server' | 'non-invite-server';
  abstract get state(): string;
  terminationReason: TerminationReason | undefined = undefined;
  readonly method: string;
  private held: SipRequest | undefined;
  /**
   * Running timers by name. A plain object whose entries are cleared, not
   * deleted, keeps a shape shared by all transactions and is about 100 bytes
   * smaller than a Map. Let go of in the final wait state, which runs on the
   * layer's wait queue instead.
   */
  private timerHandles: Record<string, TimerHandle | undefined> | undefined = {};

  constructor(
    protected readonly ctx: TransactionContext,
    /** Key under which the layer matches messages to this transaction; a client transaction's changes when it fails over (RFC 3263 §4.3). */
    public id: string,
    request: SipRequest,
  ) {
    this.held = request;
    this.method = request.method;
  }

  /**
   * The request, until the transaction has its final response. The wait
   * state after it (up to 64·T1 on UDP) keeps only what RFC 3261 §17 needs
   * there, so the parsed request is let go: reading it then throws SIP_TRANSACTION.
   */
  get request(): SipRequest {
    if (this.held === undefined) {
      throw new SleetError(ErrorCode.SIP_TRANSACTION, `the ${this.method} transaction ${this.id} let go of its request at its final response`);
    }
    return this.held;
  }

  /** The request while it is held, without the throw of `request`: for what may also run after the final response. */
  protected get heldRequest(): SipRequest | undefined {
    return this.held;
  }

  get isTerminated(): boolean {
    return this.terminationReason !== undefined;
  }

  /** Stops timers and leaves the layer; used by the layer on shutdown. */
  close(): void {
    this.terminate('closed');
  }

  /** Called once the final response went out (server) or reached the owner (client). */
  protected releaseRequest(): void {
    this.held = undefined;
  }

  protected startTimer(name: string, delayMs: number, fn: () => void): void {
    this.stopTimer(name);
    const handles = (this.timerHandles ??= {});
    handles[name] = this.ctx.clock.schedule(delayMs, () => {
      handles[name] = undefined;
      if (!this.isTerminated) fn();
    });
  }

  protected stopTimer(name: string): void {
    const handle = this.timerHandles?.[name];
    if (handle === undefined) return;
    this.ctx.clock.cancel(handle);
    this.timerHandles![name] = undefined;
  }

  protected stopTimers(): void {
    const handles = this.timerHandles;
    if (handles === undefined) return;
    for (const name in handles) {
      const handle = handles[name];
      if (handle === undefined) continue;
      this.ctx.clock.cancel(handle);
      handles[name] = undefined;
    }
  }

  /** The final wait state: terminates after `delayMs`, at once when zero (D, I, J and K on reliable transports). */
  protected waitThenTerminate(delayMs: number): void {
    if (delayMs <= 0) {
      this.terminate('normal');
      return;
    }
    this.stopTimers();
    this.timerHandles = undefined;
    this.ctx.wait(this, delayMs);
  }

  /** @internal The layer's wait queue: the final wait state is over. */
  waitOver(): void {
    this.terminate('normal');
  }

  protected terminate(reason: TerminationReason): void {
    if (this.isTerminated) return;
    this.terminationReason = reason;
    this.stopTimers();
    this.onTerminated();
    this.ctx.terminated(this);
  }

  /** Subclasses set their state to Terminated and tell their owner. */
  protected abstract onTerminated(): void;

  protected callUser(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.ctx.userError(err);
    }
  }
}
