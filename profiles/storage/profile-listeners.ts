import type { ProfileChange, ProfileChangeListener, ProfileTableChange, ProfileTableChangeListener } from './profile-change.js';

/** Listeners for committed profile and profile-table changes; one that throws is reported and the others still run. */
export class ProfileListeners {
  private readonly listeners = new Set<ProfileChangeListener>();
  private readonly tableListeners = new Set<ProfileTableChangeListener>();

  onChange(listener: ProfileChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onTableChange(listener: ProfileTableChangeListener): () => void {
    this.tableListeners.add(listener);
    return () => this.tableListeners.delete(listener);
  }

  emit(change: ProfileChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (err) {
        process.emitWarning(`profile change listener failed: ${(err as Error).message}`);
      }
    }
  }

  emitTable(change: ProfileTableChange): void {
    for (const l of this.tableListeners) {
      try {
        l(change);
      } catch (err) {
        process.emitWarning(`profile table listener failed: ${(err as Error).message}`);
      }
    }
  }
}
