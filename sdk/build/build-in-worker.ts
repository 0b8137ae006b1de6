import { Worker } from 'node:worker_threads';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { outcomeError, type BundleBuildJob, type BundleBuildOutcome } from './bundle-build-outcome.js';

/**
 * Runs `buildBundle` for each job, in turn, on one worker thread; one
 * promise per job. The TypeScript compiler and ts-morph take some 40 MiB of
 * heap that a module, once loaded, never gives back; in a worker they go
 * when the thread ends, so a node that built its bundles serves calls with
 * the heap of one that found them built.
 */
export function buildInWorker(jobs: readonly BundleBuildJob[]): Promise<void>[] {
  const settlers = jobs.map(() => {
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  });
  let worker: Worker;
  // A thread that cannot start (ERR_WORKER_INIT_FAILED, out of memory) fails these builds, not their caller.
  try {
    worker = new Worker(new URL('./build-bundle-worker.js', import.meta.url), { workerData: jobs });
  } catch (err) {
    for (const { reject } of settlers) reject(err);
    return settlers.map(({ promise }) => promise);
  }
  worker.on('message', ({ index, outcome }: { index: number; outcome: BundleBuildOutcome }) => {
    if (outcome.ok) settlers[index]!.resolve();
    else settlers[index]!.reject(outcomeError(outcome));
  });
  let failure: unknown;
  worker.once('error', (err) => (failure = err));
  worker.once('exit', (code) => {
    const err = failure ?? new SleetError(ErrorCode.SDK_BUILD, `the bundle build's thread ended with code ${code} before this build's outcome`);
    for (const { reject } of settlers) reject(err);
  });
  return settlers.map(({ promise }) => promise);
}
