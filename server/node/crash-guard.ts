import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { AlarmRegistry } from '../../slee/facilities/alarm/alarm-registry.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

/** Where the guard's alarms come from, and their type. */
export const CRASH_GUARD_SOURCE = 'subsystem:node';
export const UNCAUGHT_ERROR_ALARM = 'sleet.node.uncaught-error';

/** Distinct errors logged in full; beyond that repeats are only counted, so a fault in a loop cannot fill the disk. */
const MAX_DISTINCT_LOGGED = 100;

type Kind = 'uncaughtException' | 'unhandledRejection';

/**
 * The node's last resort: an error that escaped every handler (a callback
 * of a timer or a socket, a promise nobody awaited) is logged once per
 * distinct error, raised as an alarm that counts repeats, and the process
 * goes on serving. Every known path catches its own errors (SBB handlers
 * roll back, resource adaptors answer and alarm); this catches what a
 * defect lets through, so that one bad request does not drop every call
 * the node carries. Returns the function that removes the guard.
 *
 * - An unhandled rejection is safe to survive: the promise's own code has
 *   already run to its end; only whoever should have awaited it never
 *   learns of the failure (its work is lost, which the alarm reports).
 * - An uncaught exception unwound a callback part-way. SLEE transactions
 *   are not affected (each handler runs inside the SLEE's own try and its
 *   transaction is rolled back there), but the callback's own object may
 *   be left half-updated: a call leg or a connection. The alarm is
 *   CRITICAL, to say so: restart the node at a quiet moment.
 */
export function installCrashGuard(target: EventEmitter, logger: Logger, alarms: AlarmRegistry): () => void {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  const handle = (kind: Kind, error: unknown) => {
    const count = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, count);
    const err = error instanceof Error ? error : new SleetError(ErrorCode.INTERNAL, String(error), { cause: error });
    const signature = `${kind}|${err.name}|${err.message}|${err.stack?.split('\n')[1] ?? ''}`;
    if (!seen.has(signature) && seen.size < MAX_DISTINCT_LOGGED) {
      seen.add(signature);
      logger.error({ err, kind }, `${kind} caught by the node's guard; the node goes on serving`);
    }
    const level = kind === 'uncaughtException' ? 'CRITICAL' : 'MAJOR';
    const what = kind === 'uncaughtException' ? 'uncaught exception' : 'unhandled promise rejection';
    alarms.raise(
      CRASH_GUARD_SOURCE,
      UNCAUGHT_ERROR_ALARM,
      kind,
      level,
      `${count} ${what}${count === 1 ? '' : 's'} caught by the node's guard, the last: ${err.message}`,
      err,
    );
  };
  const onException = (err: unknown) => handle('uncaughtException', err);
  const onRejection = (reason: unknown) => handle('unhandledRejection', reason);
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
