import type { Logger } from 'pino';
import type { SipObserver } from '../../resource-adaptors/sip/ra/sip-observer.js';
import type { CallRecord, RegistrationRecord } from '../../resource-adaptors/sip/stack/call-record.js';
import type { WireMessage } from '../../resource-adaptors/sip/transport/index.js';

/** Where a finished call attempt goes besides the log (accounting). */
export interface CallSink {
  record(call: CallRecord, entity: string): void;
}

/** The message trace, switched on and off at run time. */
export interface TraceSink {
  readonly active: boolean;
  write(wire: WireMessage, entity: string): void;
}

/**
 * The node's side of the SIP entities' reports: one info line per call
 * outcome and per registration, call records to accounting, and messages
 * to the message trace while it is on.
 */
export class NodeSipObserver implements SipObserver {
  private readonly log: Logger;
  calls: CallSink | null = null;
  trace: TraceSink | null = null;

  constructor(logger: Logger) {
    this.log = logger.child({ component: 'calls' });
  }

  callEnded(record: CallRecord, entity: string): void {
    this.calls?.record(record, entity);
    // The line is built only for a logger that writes it: at warn, a busy node would build one per call for nothing.
    if (!this.log.isLevelEnabled('info')) return;
    const by = record.service === null ? '' : ` by ${record.service}`;
    const to = record.target !== null && record.target !== record.callee ? ` (at ${record.target})` : '';
    const duration = record.answeredAt === null ? '' : `, ${(record.durationMs / 1000).toFixed(1)} s`;
    this.log.info({ entity, ...record }, `call ${record.caller} -> ${record.callee}${to}: ${record.status} ${record.endReason}${by}${duration}`);
  }

  registered(record: RegistrationRecord, entity: string): void {
    if (!this.log.isLevelEnabled('info')) return;
    const what = record.status >= 300 ? 'refused' : record.expires === 0 ? 'removed' : 'registered';
    const contacts = record.contacts.length === 0 ? '' : ` ${record.contacts.join(', ')}`;
    const expires = record.expires === null || record.expires === 0 ? '' : ` for ${record.expires} s`;
    this.log.info({ entity, ...record }, `registration ${record.aor}${contacts}${expires}: ${record.status} ${what}`);
  }

  get tracing(): boolean {
    return this.trace?.active === true;
  }

  traced(wire: WireMessage, entity: string): void {
    this.trace?.write(wire, entity);
  }
}
