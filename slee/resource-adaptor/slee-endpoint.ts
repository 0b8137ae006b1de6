import type { EventType } from '../component-model/event-type.js';

export interface FireEventOptions {
  /** Address for initial-event selection (e.g. the SIP From or To address). */
  address?: string;
  /** Called once every SBB has processed the event: whether any handler failed, how many SBB entities received it, and the service (`name:vendor:version`) that answered it. */
  onProcessed?: (failed: boolean, delivered: number, answeredBy?: string) => void;
  /** Whether the event has been dealt with (a request answered): the SLEE logs which service did, and warns of services that only ever see it dealt with. */
  answered?: () => boolean;
}

/** How a resource adaptor starts activities, fires events on them and ends them. */
export interface SleeEndpoint {
  startActivity(handle: string, activity: object): void;
  fireEvent<E>(handle: string, type: EventType<E>, event: E, options?: FireEventOptions): void;
  endActivity(handle: string): void;
  isActive(handle: string): boolean;
  /**
   * In a cluster, replicates the activity and its SBB entities from now on,
   * so another node can take it over (a SIP dialog once confirmed); a no-op
   * on a single node.
   */
  replicateActivity(handle: string): Promise<void>;
  /**
   * In a cluster, takes over an activity another node replicated: its context
   * and SBB entities are loaded and bound to `activity`. False when no node
   * replicated it (on a single node, always false for an activity not held).
   */
  adoptActivity(handle: string, activity: object): Promise<boolean>;
}
