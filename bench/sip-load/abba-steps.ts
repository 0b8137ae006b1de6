import { settle } from './load-step.js';
import type { SystemUnderTest } from './system-step.js';

/**
 * `pairs` rounds of one load step on each system, the first system first in even rounds and last
 * in odd ones (ABBA), the machine settled before each step, so that a busy neighbour or a drifting
 * machine weighs on both alike. Each round's steps, by system name.
 */
export async function abbaSteps<S extends SystemUnderTest, F>(systems: S[], pairs: number, step: (system: S) => Promise<F>): Promise<Array<Map<string, F>>> {
  const rounds: Array<Map<string, F>> = [];
  for (let i = 0; i < pairs; i++) {
    const figures = new Map<string, F>();
    for (const system of i % 2 === 0 ? systems : [...systems].reverse()) {
      await settle(2000);
      figures.set(system.name, await step(system));
    }
    rounds.push(figures);
  }
  return rounds;
}
