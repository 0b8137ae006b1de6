import type { EventType } from '../../slee/component-model/event-type.js';
import type { ResourceAdaptor } from '../../slee/resource-adaptor/resource-adaptor.js';
import type { ResourceAdaptorContext } from '../../slee/resource-adaptor/resource-adaptor-context.js';
import type { DirectActivity } from './direct-activity.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

/**
 * A resource adaptor driven by application code in the same process: it
 * starts activities and fires events when told to. Embedding applications,
 * examples, tests and benchmarks use it to feed the SLEE without a network.
 */
export class DirectResourceAdaptor implements ResourceAdaptor {
  private context: ResourceAdaptorContext | null = null;
  private nextHandle = 1;
  private readonly activities = new Map<string, DirectActivity>();
  /** Handles of activities the SLEE has finished, in order. */
  readonly ended: string[] = [];

  constructor(readonly eventTypes: readonly EventType[]) {}

  setResourceAdaptorContext(context: ResourceAdaptorContext): void {
    this.context = context;
  }

  raConfigure(): void {}
  raActive(): void {}
  raStopping(): void {}
  raInactive(): void {}

  getSbbInterface(): DirectResourceAdaptor {
    return this;
  }

  activityEnded(handle: string): void {
    this.activities.delete(handle);
    this.ended.push(handle);
  }

  startActivity(handle = `direct-${this.nextHandle++}`): DirectActivity {
    const activity: DirectActivity = { handle };
    this.endpoint().startActivity(handle, activity);
    this.activities.set(handle, activity);
    return activity;
  }

  /** In a cluster: replicates the activity, so another node can take it over. */
  replicate(activity: DirectActivity): Promise<void> {
    return this.endpoint().replicateActivity(activity.handle);
  }

  /** In a cluster: takes over an activity another node's direct adaptor started and replicated; null when none did. */
  async adoptActivity(handle: string): Promise<DirectActivity | null> {
    const activity: DirectActivity = { handle };
    if (!(await this.endpoint().adoptActivity(handle, activity))) return null;
    this.activities.set(handle, activity);
    return activity;
  }

  recreateActivity(handle: string): DirectActivity {
    const activity: DirectActivity = { handle };
    this.activities.set(handle, activity);
    return activity;
  }

  /** The activity this adaptor holds under a handle (one it started, or took over in a cluster). */
  activity(handle: string): DirectActivity | undefined {
    return this.activities.get(handle);
  }

  /** Fires an event; resolves once every SBB processed it, with whether any handler failed. */
  fire<E>(activity: DirectActivity, type: EventType<E>, event: E, address?: string): Promise<boolean> {
    return new Promise((resolve) => {
      this.endpoint().fireEvent(activity.handle, type, event, { ...(address !== undefined ? { address } : {}), onProcessed: resolve });
    });
  }

  /** Fires without waiting, for load generation. */
  fireAndForget<E>(activity: DirectActivity, type: EventType<E>, event: E, address?: string): void {
    this.endpoint().fireEvent(activity.handle, type, event, address !== undefined ? { address } : {});
  }

  endActivity(activity: DirectActivity): void {
    this.endpoint().endActivity(activity.handle);
  }

  get liveActivities(): number {
    return this.activities.size;
  }

  private endpoint() {
    if (!this.context) throw new SleetError(ErrorCode.INVALID_STATE, 'the direct resource adaptor is not part of a SLEE yet');
    return this.context.endpoint;
  }
}
