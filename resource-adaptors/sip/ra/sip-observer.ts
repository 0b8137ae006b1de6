import type { CallRecord, RegistrationRecord } from '../stack/call-record.js';
import type { WireMessage } from '../transport/index.js';

/**
 * What the node learns from a SIP resource-adaptor entity beyond events:
 * finished call attempts and registrations (accounting, the call log), and
 * every message while a message trace is on. The node passes one to
 * `createSipResourceAdaptorType`.
 */
export interface SipObserver {
  callEnded(record: CallRecord, entity: string): void;
  registered(record: RegistrationRecord, entity: string): void;
  /** Read for every message: `traced` is called only while it is true. */
  readonly tracing: boolean;
  traced(wire: WireMessage, entity: string): void;
}
