import type { EventType } from '../component-model/event-type.js';
import type { SleeTransaction } from '../transaction/slee-transaction.js';

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
   * The transaction of the SBB handler now running on the activity's event,
   * if any: an adaptor enlists in it what must happen only if that handler's
   * work commits (a SIP final response), and be undone if it rolls back.
   */
  deliveryTransaction(handle: string): SleeTransaction | undefined;
  /**
   * In a cluster, replicates the activity and its SBB entities from now on,
   * so another node can take it over (a SIP dialog once confirmed); a no-op
   * on a single node. `adaptorState`, read at each write of the activity's
   * record, returns what the adaptor needs to rebuild the activity object
   * there (plain JSON: a dialog's snapshot); calling again replaces it.
   */
  replicateActivity(handle: string, adaptorState?: () => unknown): Promise<void>;
  /**
   * In a cluster, takes over an activity another node replicated: its context
   * and SBB entities are loaded and bound to `activity`, or to what the
   * function given builds from the adaptor state replicated (null: nothing
   * to adopt). False when no node replicated it (on a single node, always
   * false for an activity not held).
   */
  adoptActivity(handle: string, activity: object | ((adaptorState: unknown) => object | null)): Promise<boolean>;
  /** True when this node is part of a cluster (activities can be replicated and taken over). */
  readonly clustered: boolean;
}
