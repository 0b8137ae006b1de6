import type { NodeUnderTest } from './node-under-test.js';
import { percentile } from './percentile.js';
import { runSipp, type SippRun } from './sipp.js';

export interface StepFigures {
  offered: number;
  achieved: number;
  failed: number;
  cpuMsPer: number;
  cpuPercent: number;
  p50Ms: number;
  p99Ms: number;
  /** The node's event-loop delay over the run: how long a ready datagram could wait for the loop. */
  loopP99Ms: number;
  loopMaxMs: number;
  rssMiB: number;
}

/** One SIPp run at a fixed offered rate, with the node's CPU time over the run (from /proc) and SIPp's response times. */
export async function loadStep(node: NodeUnderTest, run: SippRun): Promise<StepFigures> {
  await node.loopDelay('reset');
  const cpuBefore = node.cpuMs();
  const outcome = await runSipp(run);
  const cpuMs = node.cpuMs() - cpuBefore;
  const loop = await node.loopDelay('read');
  const seconds = outcome.elapsedMs / 1000;
  return {
    offered: run.rate,
    achieved: Math.round(outcome.successful / seconds),
    failed: outcome.failed + (run.calls - outcome.successful - outcome.failed),
    cpuMsPer: round2(cpuMs / Math.max(1, outcome.successful)),
    cpuPercent: Math.round((cpuMs / outcome.elapsedMs) * 100),
    p50Ms: percentile(outcome.rttMs, 50),
    p99Ms: percentile(outcome.rttMs, 99),
    loopP99Ms: loop.p99Ms,
    loopMaxMs: loop.maxMs,
    rssMiB: Math.round(node.rssKiB() / 1024),
  };
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Lets retransmission and wait timers of the previous step run out a little before the next one. */
export function settle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
