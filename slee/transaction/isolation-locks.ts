interface Entry {
  owner: object;
  waiters: Array<{ owner: object; resume: () => void }> | null;
}

/**
 * Exclusive locks on shared state keys (an ACI, a name), taken only by a
 * delivery retrying after a conflict, so that its next attempt cannot lose
 * again. Keys are taken in sorted order, so two owners never wait on each
 * other; a released key passes straight to the next waiter.
 */
export class IsolationLocks {
  private readonly entries = new Map<string, Entry>();

  get size(): number {
    return this.entries.size;
  }

  holderOf(key: string): object | undefined {
    return this.entries.get(key)?.owner;
  }

  /** Takes every key for the owner; a promise when one of them has to be waited for. */
  acquireAll(keys: readonly string[], owner: object): void | Promise<void> {
    return this.acquireFrom([...keys].sort(), 0, owner);
  }

  private acquireFrom(keys: readonly string[], from: number, owner: object): void | Promise<void> {
    for (let i = from; i < keys.length; i++) {
      const key = keys[i]!;
      const entry = this.entries.get(key);
      if (!entry) {
        this.entries.set(key, { owner, waiters: null });
        continue;
      }
      if (entry.owner === owner) continue;
      return new Promise<void>((resume) => (entry.waiters ??= []).push({ owner, resume })).then(() => this.acquireFrom(keys, i + 1, owner));
    }
  }

  /** Releases the keys the owner holds among these. */
  releaseAll(keys: readonly string[], owner: object): void {
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry?.owner !== owner) continue;
      const next = entry.waiters?.shift();
      if (next) {
        entry.owner = next.owner;
        next.resume();
      } else {
        this.entries.delete(key);
      }
    }
  }
}
