import type { DataSource, QueryRunner } from 'typeorm';
import { WriteLock } from './write-lock.js';

/**
 * The profile store's database transactions: a connection per unit of work,
 * writes serialised by the write lock, and a transaction the caller may keep
 * open until the SLEE transaction decides.
 */
export class StoreTransactions {
  private readonly lock = new WriteLock();

  /**
   * `takeWriteLock`, for SQLite: a statement that writes nothing yet takes
   * the database's write lock, run first in every write transaction. A
   * deferred transaction that reads before it writes fails at once
   * (SQLITE_BUSY_SNAPSHOT, "database is locked") when another process
   * sharing the file (a worker) wrote meanwhile; one that takes the lock
   * first waits for it instead (the busy timeout), and then reads the latest.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly takeWriteLock?: string,
  ) {}

  private async begin(qr: QueryRunner): Promise<void> {
    await qr.startTransaction();
    if (this.takeWriteLock === undefined) return;
    try {
      await qr.query(this.takeWriteLock);
    } catch (err) {
      await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  }

  /** Runs `fn` holding the write lock, outside any database transaction. */
  async locked<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.lock.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  async withQueryRunner<T>(fn: (qr: QueryRunner) => Promise<T>): Promise<T> {
    const qr = this.dataSource.createQueryRunner();
    try {
      await qr.connect();
      return await fn(qr);
    } finally {
      await qr.release();
    }
  }

  /** Runs `fn` in a database transaction under the write lock: committed if it returns, rolled back if it throws. */
  inTransaction<T>(fn: (qr: QueryRunner) => Promise<T>): Promise<T> {
    return this.locked(() =>
      this.withQueryRunner(async (qr) => {
        await this.begin(qr);
        try {
          const result = await fn(qr);
          await qr.commitTransaction();
          return result;
        } catch (err) {
          if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
          throw err;
        }
      }),
    );
  }

  /**
   * Runs `fn` in a database transaction and leaves it open, holding the write
   * lock, until the returned `settle` commits or rolls it back (once; later
   * calls do nothing). If `fn` throws, rolls back and releases at once.
   */
  async prepare(fn: (qr: QueryRunner) => Promise<void>): Promise<(commit: boolean) => Promise<boolean>> {
    const release = await this.lock.acquire();
    const qr = this.dataSource.createQueryRunner();
    let settled = false;
    try {
      await qr.connect();
      await this.begin(qr);
      await fn(qr);
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      await qr.release();
      release();
      throw err;
    }
    /** Resolves true when this call settled the transaction, false when an earlier one had. */
    return async (commit: boolean) => {
      if (settled) return false;
      settled = true;
      try {
        if (commit) await qr.commitTransaction();
        else await qr.rollbackTransaction();
      } catch (err) {
        // A refused COMMIT (SQLite: a deferred constraint) leaves the transaction open on the connection.
        if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
        throw err;
      } finally {
        await qr.release();
        release();
      }
      return true;
    };
  }
}
