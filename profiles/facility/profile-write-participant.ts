import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import type { TransactionParticipant } from '../../slee/transaction/transaction-participant.js';
import type { PreparedProfileWrites } from '../storage/prepared-profile-writes.js';
import type { ProfileStore } from '../storage/profile-store.js';
import type { ProfileCache } from './profile-cache.js';
import type { TransactionView } from './transaction-view.js';

/**
 * Carries an SBB transaction's profile writes into the database, before the
 * SLEE commits in memory. prepare() applies them in an open database
 * transaction, checking each profile's version against the one the SBB read
 * (a conflict, an invalid write or a database error throws and so rolls the
 * SLEE transaction back); commitDurably() commits that database transaction,
 * and a failure there rolls the SLEE transaction back too. So when the SLEE
 * reports a commit, the writes are in the database.
 */
export class ProfileWriteParticipant implements TransactionParticipant {
  private prepared?: PreparedProfileWrites;

  constructor(
    private readonly store: ProfileStore,
    private readonly view: TransactionView,
    private readonly cache: ProfileCache,
    /** Receives the settling promise of a rollback, so the facility can flush. */
    private readonly track: (settling: Promise<void>) => void,
    /** Told when the database failed (not when a write was refused): the facility raises an alarm. */
    private readonly onDatabaseFailure: (error: SleetError) => void,
  ) {}

  async prepare(): Promise<void> {
    this.view.sealed = true;
    if (this.view.writes.length === 0) return;
    try {
      this.prepared = await this.store.prepareWrites(this.view.writes);
    } catch (err) {
      throw this.failed(err);
    }
  }

  async commitDurably(): Promise<void> {
    const prepared = this.prepared;
    if (!prepared) return;
    this.prepared = undefined;
    try {
      await prepared.commit();
    } catch (err) {
      throw this.failed(err);
    }
  }

  /** The writes are already durable, and the store's change events dropped cached copies. */
  commit(): void {
    this.clear();
  }

  rollback(): void {
    const prepared = this.prepared;
    const written = this.writtenProfiles();
    this.clear();
    if (!prepared) return;
    this.track(
      prepared
        .rollback()
        .catch((err) => process.emitWarning(`profile write rollback failed: ${(err as Error).message}`))
        .finally(() => this.invalidate(written)),
    );
  }

  /**
   * The database transaction is over (the store rolled it back). Reads by
   * other transactions may have cached this one's uncommitted rows (SQLite
   * shares one connection), or a stale copy caused a conflict: drop them.
   */
  private failed(err: unknown): SleetError {
    const written = this.writtenProfiles();
    this.invalidate(written);
    if (SleetError.is(err)) return err;
    const tables = [...new Set(written.map((w) => w.table))].sort();
    const error = new SleetError(
      ErrorCode.PROFILE_COMMIT_FAILED,
      `the profile database failed to commit ${written.length} write(s) to table(s) ${tables.join(', ')}: ${(err as Error)?.message ?? String(err)}`,
      { cause: err, details: { tables } },
    );
    this.onDatabaseFailure(error);
    return error;
  }

  private writtenProfiles(): Array<{ table: string; name: string }> {
    return this.view.writes.map((w) => ({ table: w.table, name: w.name }));
  }

  private invalidate(profiles: ReadonlyArray<{ table: string; name: string }>): void {
    for (const p of profiles) this.cache.profileChanged(p.table, p.name);
  }

  private clear(): void {
    this.prepared = undefined;
    this.view.writes.length = 0;
    this.view.overlay = null;
  }
}
