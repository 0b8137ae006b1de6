import type { Clock } from '../../../base/clock/clock.js';
import type { NameAddr } from '../message/index.js';
import type { TimerSettings, TransactionLayer } from '../transaction/index.js';
import type { TransportProtocol } from '../transport/transport-types.js';
import type { SessionTimers } from './session-timer.js';

/**
 * What a dialog needs from the layer that owns it. `D` is the dialog type,
 * a parameter so that this file need not import dialog.ts, which imports it.
 */
export interface DialogHost<D> {
  readonly transactions: TransactionLayer;
  readonly clock: Clock;
  readonly timers: TimerSettings;
  /** RFC 4028 policy when the stack opted in. */
  readonly sessionTimers: SessionTimers | undefined;
  /** Our Contact for requests and responses sent over `transport`. */
  localContact(transport: TransportProtocol): NameAddr;
  /** Called once when a dialog terminates, so the layer forgets it. */
  forget(dialog: D): void;
  /** Exceptions thrown by application listeners. */
  reportError(err: unknown): void;
}
