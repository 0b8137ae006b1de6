import type { EventType } from '../component-model/event-type.js';
import type { ResourceAdaptorContext } from './resource-adaptor-context.js';

export type ConfigProperties = Record<string, string | number | boolean>;

/**
 * A resource adaptor (JSLEE RA lifecycle): it is configured, activated,
 * asked to stop (refusing new activities while existing ones end) and
 * deactivated. SBBs reach it through its SBB interface, bound to link names.
 */
export interface ResourceAdaptor {
  /** The event types this adaptor fires; registered with the SLEE before services deploy. */
  readonly eventTypes: readonly EventType[];
  setResourceAdaptorContext(context: ResourceAdaptorContext): void;
  /** Throws to refuse a configuration, with the reason. */
  raVerifyConfiguration?(config: ConfigProperties): void;
  raConfigure(config: ConfigProperties): void | Promise<void>;
  raActive(): void | Promise<void>;
  raStopping(): void | Promise<void>;
  raInactive(): void | Promise<void>;
  raUnconfigure?(): void | Promise<void>;
  /** The object SBBs receive for this adaptor's link names. */
  getSbbInterface(): unknown;
  /** The SLEE has finished an activity this adaptor started. */
  activityEnded?(handle: string): void;
  /**
   * In a cluster: the activity object for a handle another node replicated,
   * so that this node can take the activity over when something other than
   * the adaptor's own traffic reaches it (a durable timer another node set),
   * built from the state the adaptor replicated with it (undefined when it
   * replicated none). Null when the adaptor cannot stand in for it.
   */
  recreateActivity?(handle: string, adaptorState?: unknown): object | null;
  /** In a cluster: an activity recreated by `recreateActivity` is now held here (e.g. to go on replicating its state). */
  activityAdopted?(handle: string): void;
}
