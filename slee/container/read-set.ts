import type { ActivityContext } from '../activity/activity-context.js';

/**
 * What one transaction has seen of state other trees share: the version of
 * each ACI whose attributes it read or wrote, and the binding of each name
 * it bound, unbound or looked up. Checked at commit.
 */
export class ReadSet {
  readonly activities = new Map<ActivityContext, number>();
  readonly names = new Map<string, ActivityContext | undefined>();

  /** Isolation-lock keys: a retry locks the keys its attempt conflicted on. */
  static activityKey(ac: ActivityContext): string {
    return `aci:${ac.id}`;
  }

  static nameKey(name: string): string {
    return `name:${name}`;
  }
}
