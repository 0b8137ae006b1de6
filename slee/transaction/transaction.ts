import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type { SleeTransaction } from './slee-transaction.js';
import type { TransactionParticipant } from './transaction-participant.js';

type Action = () => void;

/**
 * One SLEE transaction. Structural changes (attach, detach, entity creation,
 * CMP writes) are applied at once and undone on rollback, because the SBB
 * entity tree they touch is locked by this transaction. Changes other trees
 * could observe (ACI attributes, names) and effects that leave the
 * transaction (fired events, timers) are buffered and applied at commit,
 * once the validators confirm that no concurrent commit changed what this
 * transaction read (optimistic concurrency control).
 */
export class Transaction implements SleeTransaction {
  private static nextId = 1;
  readonly id = Transaction.nextId++;
  rollbackOnly = false;
  /**
   * Who this transaction works for when it comes to isolation locks (the
   * event delivery that retries it): keys locked by that owner do not
   * count as conflicts at commit.
   */
  lockOwner: object | null = null;
  /** `committing` while participants prepare and commit durably: nothing may join or roll back from outside. */
  private state: 'active' | 'committing' | 'committed' | 'rolledBack' = 'active';
  private readonly undoLog: Action[] = [];
  /** Made on first use: most deliveries' transactions keep nothing. */
  private attachments: Map<symbol, unknown> | null = null;
  private readonly onCommitActions: Action[] = [];
  private afterCommitActions: Action[] | null = null;
  private participants: TransactionParticipant[] | null = null;
  private validators: Action[] | null = null;
  private holds: Array<() => Action> | null = null;
  private releases: Action[] | null = null;

  get active(): boolean {
    return this.state === 'active';
  }

  attachment(key: symbol): unknown {
    return this.attachments?.get(key);
  }

  setAttachment(key: symbol, value: unknown): void {
    (this.attachments ??= new Map()).set(key, value);
  }

  enlist(participant: TransactionParticipant): void {
    this.assertActive();
    (this.participants ??= []).push(participant);
  }

  setRollbackOnly(): void {
    this.rollbackOnly = true;
  }

  /** Records how to undo a change already applied. */
  undo(action: Action): void {
    this.undoLog.push(action);
  }

  /** Runs when the transaction commits, in the order registered. */
  onCommit(action: Action): void {
    this.assertActive();
    this.onCommitActions.push(action);
  }

  /**
   * Checks, at commit and atomically with it, that what this transaction
   * read still holds; a check throws to roll the transaction back. When a
   * participant commits durably (asynchronously) before the in-memory
   * commit, the checks also run before that durable commit, and `hold`
   * then keeps what was checked from changing until the transaction ends
   * (it returns its own release).
   */
  validateAtCommit(check: Action, hold?: () => Action): void {
    this.assertActive();
    (this.validators ??= []).push(check);
    if (hold) (this.holds ??= []).push(hold);
  }

  /** Runs after every commit action, for follow-up work such as removing trees left unattached. */
  afterCommit(action: Action): void {
    (this.afterCommitActions ??= []).push(action);
  }

  assertActive(): void {
    if (this.state !== 'active') {
      throw new SleetError(ErrorCode.TRANSACTION_REQUIRED, `transaction ${this.id} is no longer active (${this.state})`);
    }
  }

  /** Commits; returns a promise only when a participant needs asynchronous preparation or a durable commit. */
  commit(): void | Promise<void> {
    this.assertActive();
    if (this.rollbackOnly) {
      this.rollback();
      throw new SleetError(ErrorCode.TRANSACTION_ROLLED_BACK, `transaction ${this.id} was marked rollback-only`);
    }
    const participants = this.participants;
    if (participants?.some((p) => p.prepare || p.commitDurably)) return this.prepareThenCommit(participants);
    this.complete();
  }

  private async prepareThenCommit(participants: TransactionParticipant[]): Promise<void> {
    this.state = 'committing';
    try {
      for (const p of participants) await p.prepare?.();
    } catch (cause) {
      throw this.failed('prepare', cause);
    }
    if (this.rollbackOnly) {
      this.discard();
      throw new SleetError(ErrorCode.TRANSACTION_ROLLED_BACK, `transaction ${this.id} was marked rollback-only`);
    }
    if (participants.some((p) => p.commitDurably)) {
      // Once the durable commit is made it cannot be undone: what this transaction read must hold now, and until it completes.
      this.validate();
      if (this.holds) this.releases = this.holds.map((hold) => hold());
      try {
        for (const p of participants) await p.commitDurably?.();
      } catch (cause) {
        // A store that lost an optimistic version check reports a conflict, which the delivery retries like a local one.
        if (SleetError.is(cause, ErrorCode.TRANSACTION_CONFLICT)) {
          this.discard();
          throw cause;
        }
        throw this.failed('commit durably', cause);
      }
    }
    this.complete();
  }

  /** Runs the validators; on a failure the transaction is rolled back and the failure thrown. */
  private validate(): void {
    const validators = this.validators;
    if (!validators) return;
    try {
      for (const check of validators) check();
    } catch (err) {
      this.discard();
      throw err;
    }
  }

  private failed(phase: string, cause: unknown): SleetError {
    this.discard();
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new SleetError(ErrorCode.TRANSACTION_ROLLED_BACK, `transaction ${this.id} rolled back: a participant failed to ${phase}: ${reason}`, { cause });
  }

  private complete(): void {
    this.validate();
    this.state = 'committed';
    if (this.participants) for (const p of this.participants) p.commit();
    for (const action of this.onCommitActions) action();
    this.releaseHolds();
    const after = this.afterCommitActions;
    if (after) for (let i = 0; i < after.length; i++) after[i]!();
  }

  rollback(): void {
    if (this.state === 'active') this.discard();
  }

  private discard(): void {
    this.state = 'rolledBack';
    for (let i = this.undoLog.length - 1; i >= 0; i--) this.undoLog[i]!();
    if (this.participants) for (const p of this.participants) p.rollback();
    this.releaseHolds();
  }

  private releaseHolds(): void {
    const releases = this.releases;
    this.releases = null;
    if (releases) for (const release of releases) release();
  }
}
