import type { EventType } from '../component-model/event-type.js';

export interface FireEventOptions {
  /** Address for initial-event selection (e.g. the SIP From or To address). */
  address?: string;
  /** Called once every SBB has processed the event: whether any handler failed, and how many SBB entities received it. */
  onProcessed?: (failed: boolean, delivered: number) => void;
}

/** How a resource adaptor starts activities, fires events on them and ends them. */
export interface SleeEndpoint {
  startActivity(handle: string, activity: object): void;
  fireEvent<E>(handle: string, type: EventType<E>, event: E, options?: FireEventOptions): void;
  endActivity(handle: string): void;
  isActive(handle: string): boolean;
}
