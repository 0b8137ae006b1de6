/**
 * Serialises handlers on one SBB entity tree: one tree never runs two
 * handlers at once, even across awaits. Free locks are taken synchronously
 * so the common case costs no promise.
 */
export class TreeLock {
  private held = false;
  private waiters: Array<() => void> | null = null;

  tryAcquire(): boolean {
    if (this.held) return false;
    this.held = true;
    return true;
  }

  acquire(): Promise<void> {
    return new Promise((resolve) => (this.waiters ??= []).push(resolve));
  }

  release(): void {
    const next = this.waiters?.shift();
    if (next) next();
    else this.held = false;
  }

  get busy(): boolean {
    return this.held;
  }
}
