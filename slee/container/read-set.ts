import type { ActivityContext } from '../activity/activity-context.js';

/**
 * What one transaction has seen of state other trees share: the version of
 * each ACI whose attributes it read or wrote, and the binding of each name
 * it bound, unbound or looked up. Checked at commit.
 */
export class ReadSet {
  // Made on first use: a transaction that reads attributes seldom looks up names, and the other way round.
  activities: Map<ActivityContext, number> | null = null;
  names: Map<string, ActivityContext | undefined> | null = null;

  /** The ACI's version when this transaction first saw it. */
  sawActivity(ac: ActivityContext): void {
    const seen = (this.activities ??= new Map());
    if (!seen.has(ac)) seen.set(ac, ac.version);
  }

  /** What the name was bound to when this transaction first saw it. */
  sawName(name: string, bound: ActivityContext | undefined): void {
    const seen = (this.names ??= new Map());
    if (!seen.has(name)) seen.set(name, bound);
  }

  /** Isolation-lock keys: a retry locks the keys its attempt conflicted on. */
  static activityKey(ac: ActivityContext): string {
    return `aci:${ac.id}`;
  }

  static nameKey(name: string): string {
    return `name:${name}`;
  }
}
