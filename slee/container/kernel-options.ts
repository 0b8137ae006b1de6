import type { Logger } from 'pino';
import type { Clock } from '../../base/clock/clock.js';
import type { StateReplication } from '../cluster/state-replication.js';
import type { TimerBackend } from '../facilities/timer/timer-backend.js';
import type { AddressProfileResolver } from '../router/address-profile-resolver.js';
import type { SleeStateStore } from '../store/slee-state-store.js';

export interface KernelOptions {
  logger: Logger;
  clock: Clock;
  timerBackend?: TimerBackend;
  addressProfileResolver?: AddressProfileResolver;
  /** How long a suspended event waits for resumeDelivery() before delivery resumes anyway. */
  suspendTimeoutMs?: number;
  timerDefaultTimeoutMs?: number;
  /** Where container state lives; in memory by default. */
  store?: SleeStateStore;
  /** How long an async event handler (or sbbRolledBack) may run before it is rolled back; 30 s by default. */
  handlerTimeoutMs?: number;
  /** How many times a delivery to one SBB entity is attempted when its commit conflicts; 5 by default. */
  transactionAttempts?: number;
  /** The cluster's shared store: activities marked replicated, and their trees, are written there at each commit. */
  replication?: StateReplication;
}
