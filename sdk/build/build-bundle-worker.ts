import { parentPort, workerData } from 'node:worker_threads';
import { buildBundle } from './build-bundle.js';
import { failedOutcome, type BundleBuildJob, type BundleBuildOutcome } from './bundle-build-outcome.js';

/** The body of `buildInWorker`'s thread: each build in turn, each outcome posted as it comes; then the thread and its compiler end. */
const jobs = workerData as readonly BundleBuildJob[];
for (const [index, { projectDir, outDir }] of jobs.entries()) {
  let outcome: BundleBuildOutcome;
  try {
    await buildBundle(projectDir, { outDir });
    outcome = { ok: true };
  } catch (err) {
    outcome = failedOutcome(err);
  }
  parentPort!.postMessage({ index, outcome });
}
