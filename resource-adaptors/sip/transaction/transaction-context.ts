import type { Clock } from '../../../base/clock/clock.js';
import type { BucketHistogram } from '../../../base/metrics/bucket-histogram.js';
import type { SipRequest, SipUri } from '../message/index.js';
import type { MessageSource, SipTransport, TransportProtocol, TransportTarget } from '../transport/transport-types.js';
import type { ClientTransaction } from './client-transaction.js';
import type { TimerSettings } from './timer-settings.js';
import type { Transaction } from './transaction.js';
import type { ClientTransactionOwner } from './transaction-user.js';

/** What a transaction needs from the layer that owns it. */
export interface TransactionContext {
  readonly clock: Clock;
  readonly transport: SipTransport;
  readonly timers: TimerSettings;
  /** Ends `tx` (its `waitOver`) once `delayMs` have passed: the final wait states, D, I, J, K, L and M. */
  wait(tx: Transaction, delayMs: number): void;
  /** Called once when a transaction reaches Terminated, so the layer forgets it. */
  terminated(tx: Transaction): void;
  /** An ACK the INVITE server transaction must pass up rather than absorb (RFC 6026 Accepted). */
  passAckUp(ack: SipRequest, source: MessageSource): void;
  /** Starts a new client transaction (the CANCEL of an INVITE runs in its own). */
  createClientTransaction(request: SipRequest, target: TransportTarget, owner: ClientTransactionOwner): ClientTransaction;
  /** RFC 3263 server location for a target named by host name; absent, the target goes to the transport as it is. */
  readonly locate: ((uri: SipUri) => Promise<TransportTarget[]>) | undefined;
  /** The branch of a request failing over to its next target, given the one it had (TransactionLayerOptions.failoverBranch). */
  failoverBranch(old: string): string;
  /** A located target changes the request's transport (TransactionLayerOptions.retarget). */
  retarget(request: SipRequest, from: TransportProtocol, to: TransportProtocol): void;
  /** A client transaction failing over took a new branch: match it under `id` from now on. */
  rekey(tx: ClientTransaction, id: string): void;
  /** Matches a client transaction made outside `createClientTransaction` (one left behind on the old branch by a failover). */
  adopt(tx: ClientTransaction): void;
  /** Reports an exception thrown by a TU callback; the layer keeps running. */
  userError(err: unknown): void;
  /** Time from an INVITE's arrival to its first final response, for metrics. */
  readonly inviteToFinal: BucketHistogram;
}
