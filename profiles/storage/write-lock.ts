/**
 * Serialises write transactions within this process: SQLite has a single
 * connection, and on MySQL it keeps our own unique pre-checks race-free.
 */
export class WriteLock {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves with a release function once every earlier holder released. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return acquired;
  }
}
