import type { TransactionParticipant } from '../../slee/transaction/transaction-participant.js';
import type { PreparedProfileWrites } from '../storage/prepared-profile-writes.js';
import type { ProfileStore } from '../storage/profile-store.js';
import type { ProfileCache } from './profile-cache.js';
import type { TransactionView } from './transaction-view.js';

/**
 * Carries an SBB transaction's profile writes into the database. prepare()
 * applies them in an open database transaction (an invalid write, e.g. a unique
 * violation, throws and so rolls the SLEE transaction back); commit() and
 * rollback() settle that database transaction.
 */
export class ProfileWriteParticipant implements TransactionParticipant {
  private prepared?: PreparedProfileWrites;

  constructor(
    private readonly store: ProfileStore,
    private readonly view: TransactionView,
    private readonly cache: ProfileCache,
    /** Receives the settling promise, so the facility can flush and report failures. */
    private readonly track: (settling: Promise<void>) => void,
  ) {}

  async prepare(): Promise<void> {
    if (this.view.writes.length === 0) return;
    this.prepared = await this.store.prepareWrites(this.view.writes);
  }

  commit(): void {
    const prepared = this.prepared;
    this.clear();
    if (!prepared) return;
    // Drop cached copies now; the store's change events drop them again once the commit is durable.
    for (const c of prepared.changes) this.cache.invalidateProfile(c.table, `n:${c.profileName}`);
    this.track(prepared.commit().catch((err) => process.emitWarning(`profile write commit failed: ${(err as Error).message}`)));
  }

  rollback(): void {
    const prepared = this.prepared;
    this.clear();
    if (prepared) this.track(prepared.rollback().catch((err) => process.emitWarning(`profile write rollback failed: ${(err as Error).message}`)));
  }

  private clear(): void {
    this.prepared = undefined;
    this.view.writes.length = 0;
    this.view.overlay.clear();
  }
}
