import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { NodeConfig } from '../config/node-config.js';
import { WORKER_INDEX_ENV, WORKER_READY } from './worker-signals.js';

/** A worker that dies is restarted after this, doubled for each death in a row, up to the cap. */
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** A worker that served this long before dying starts its backoff afresh. */
const STABLE_MS = 60_000;

/**
 * The primary of `sleet start --workers=N`: it serves nothing itself (node:cluster
 * keeps the shared UDP handle here). It forks the workers one at a time, the last
 * index first, so worker 0, which writes the management URL, is up last and that
 * file means every worker serves; a worker that dies once all have started is
 * restarted with backoff; on SIGTERM or SIGINT each is stopped (it drains as a
 * node does) and the primary returns once all have exited. A worker that dies
 * while they are starting stops them all: its configuration will not do better.
 */
export async function runWorkerPrimary(config: NodeConfig, logger: Logger): Promise<number> {
  const count = config.workers ?? 1;
  const live = new Map<number, Worker>();
  const deaths = new Array<number>(count).fill(0);
  const restarts = new Set<NodeJS.Timeout>();
  let stopping = false;
  let starting = true;
  let failedStart = false;
  let signalled = false;

  const fork = (index: number): Promise<boolean> =>
    new Promise((resolve) => {
      const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index) });
      const forkedAt = Date.now();
      live.set(index, worker);
      worker.on('message', (message: unknown) => {
        if (message !== WORKER_READY) return;
        logger.info({ worker: index, pid: worker.process.pid }, `worker ${index} ready`);
        resolve(true);
      });
      worker.once('exit', (code, signal) => {
        resolve(false);
        if (live.get(index) === worker) live.delete(index);
        if (stopping) return;
        if (starting) {
          logger.error({ worker: index, code, signal }, `worker ${index} exited while starting`);
          return;
        }
        deaths[index] = Date.now() - forkedAt > STABLE_MS ? 1 : deaths[index]! + 1;
        const delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (deaths[index]! - 1));
        logger.error({ worker: index, code, signal, restartInMs: delay }, `worker ${index} died; restarting`);
        const timer = setTimeout(() => {
          restarts.delete(timer);
          if (!stopping) void fork(index);
        }, delay);
        restarts.add(timer);
      });
    });

  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      signalled = true;
      logger.info({ signal }, 'stopping the workers');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  for (let index = count - 1; index >= 0; index--) {
    const ready = await Promise.race([fork(index), stopped.then(() => false)]);
    if (!ready) {
      failedStart = !signalled;
      break;
    }
  }
  starting = false;
  if (!failedStart) {
    logger.info({ workers: count, sip: `${config.sipHost}:${config.sipPort}` }, `${count} workers serving`);
    await stopped;
  }
  stopping = true;
  for (const timer of restarts) clearTimeout(timer);
  await Promise.all(
    [...live.values()].map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          worker.once('exit', () => resolve());
          worker.process.kill('SIGTERM');
        }),
    ),
  );
  logger.info('workers stopped');
  return failedStart ? 1 : 0;
}
