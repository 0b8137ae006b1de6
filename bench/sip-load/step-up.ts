import type { CeilingRun } from './comparison-rows.js';
import { settle } from './load-step.js';
import type { SystemStep } from './system-step.js';

/** No failed call, and the last call done within 2 s of the offered duration: the proxy kept up with the rate. */
function keptUp(step: SystemStep, seconds: number): boolean {
  return step.failed === 0 && step.elapsedMs <= seconds * 1000 + 2000;
}

/** Runs `step` at each rate in turn until one does not keep up; the ceiling is the last rate that did (0 if none). */
export async function stepUp(
  rates: number[],
  seconds: number,
  settleMs: number,
  step: (rate: number, seconds: number) => Promise<SystemStep>,
): Promise<CeilingRun> {
  const run: CeilingRun = { ceiling: 0, steps: [] };
  for (const rate of rates) {
    await settle(settleMs);
    const figures = await step(rate, seconds);
    run.steps.push(figures);
    if (!keptUp(figures, seconds)) break;
    run.ceiling = rate;
  }
  return run;
}
