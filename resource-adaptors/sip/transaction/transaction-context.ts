import type { Clock } from '../clock/clock.js';
import type { SipRequest } from '../message/index.js';
import type { MessageSource, SipTransport, TransportTarget } from '../transport/transport-types.js';
import type { ClientTransaction } from './client-transaction.js';
import type { TimerSettings } from './timer-settings.js';
import type { Transaction } from './transaction.js';
import type { ClientTransactionOwner } from './transaction-user.js';

/** What a transaction needs from the layer that owns it. */
export interface TransactionContext {
  readonly clock: Clock;
  readonly transport: SipTransport;
  readonly timers: TimerSettings;
  /** Called once when a transaction reaches Terminated, so the layer forgets it. */
  terminated(tx: Transaction): void;
  /** An ACK the INVITE server transaction must pass up rather than absorb (RFC 6026 Accepted). */
  passAckUp(ack: SipRequest, source: MessageSource): void;
  /** Starts a new client transaction (the CANCEL of an INVITE runs in its own). */
  createClientTransaction(request: SipRequest, target: TransportTarget, owner: ClientTransactionOwner): ClientTransaction;
  /** Reports an exception thrown by a TU callback; the layer keeps running. */
  userError(err: unknown): void;
}
