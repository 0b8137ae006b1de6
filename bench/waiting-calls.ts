import { resolve } from 'node:path';
import type { BenchResult } from './bench-result.js';
import { eachBuild, withCallingNode } from './sip-load/calling-node.js';
import { percentile } from './sip-load/percentile.js';
import { sippAvailable } from './sip-load/sipp.js';
import { skippedWithoutSipp } from './sip-load/skipped.js';

export interface WaitingCallsOptions {
  rate: number;
  warmupCalls: number;
  /** Calls placed and measured while their transactions wait out Timers J, L and M (64·T1, 32 s): rate × seconds must stay under that. */
  calls: number;
  /** After the warm-up, until its transactions have ended: 64·T1 and a little more. */
  drainMs: number;
  /** Full collections timed before and after; the median of each is used. */
  collections: number;
  /** Another build's dist directory, measured the same way after this one. */
  baseline?: string;
}

interface BuildReading {
  build: string;
  calls: number;
  failed: number;
  heapBytesPerCall: number;
  heapMiBIdle: number;
  fullGcMsIdle: number;
  fullGcMsWaiting: number;
}

/**
 * What the demo node keeps per call in the wait states that follow it
 * (Timers J, L, M: 32 s on UDP), and what that costs each old-generation
 * collection: at overload rates tens of thousands of calls wait at once,
 * and the collector marks all of them while datagrams queue. After a
 * warm-up whose wait states have ended, the node's heap after a full GC
 * and the time of a full GC (median of `--collections`) are read; then
 * `--calls` SIPp calls (`uac-call.xml`, demo services, trusted source) at
 * `--rate`, and the same readings while they wait. Reports the idle heap,
 * heap bytes per waiting call, the full GC's time idle and with the calls
 * waiting, and its growth over idle per 10,000 waiting calls, with ratios
 * to `--baseline=<dist of another build>` measured after this one. The
 * growth is a difference of two timings and moves with the idle one; the
 * time with the calls waiting is the steadier ratio.
 */
export async function run(options: { quick?: boolean; flags?: Record<string, string> } = {}): Promise<BenchResult> {
  if (!sippAvailable()) return skippedWithoutSipp('waiting-calls');
  const flags = options.flags ?? {};
  return measure({
    rate: Number(flags.rate ?? 500),
    warmupCalls: Number(flags['warmup-calls'] ?? (options.quick ? 1000 : 3000)),
    calls: Number(flags.calls ?? (options.quick ? 5000 : 10_000)),
    drainMs: Number(flags['drain-ms'] ?? 34_000),
    collections: Number(flags.collections ?? 5),
    ...(flags.baseline ? { baseline: resolve(flags.baseline) } : {}),
  });
}

export async function measure(options: WaitingCallsOptions): Promise<BenchResult> {
  const measured = await eachBuild(options.baseline, (build, distRoot) => measureBuild(build, distRoot, options));
  const rows: Array<Record<string, string | number>> = measured.map((m) => ({
    build: m.build,
    calls: m.calls,
    failed: m.failed,
    'heap bytes/waiting call': m.heapBytesPerCall,
    'heap MiB, idle': m.heapMiBIdle,
    'full GC ms, idle': m.fullGcMsIdle,
    'full GC ms, calls waiting': m.fullGcMsWaiting,
    'full GC ms per 10,000 waiting calls': perTenThousand(m),
  }));
  const [self, baseline] = measured;
  if (baseline !== undefined) {
    const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
    rows.push({
      build: 'this/baseline',
      'heap bytes/waiting call': ratio(self!.heapBytesPerCall, baseline.heapBytesPerCall),
      'heap MiB, idle': ratio(self!.heapMiBIdle, baseline.heapMiBIdle),
      'full GC ms, idle': ratio(self!.fullGcMsIdle, baseline.fullGcMsIdle),
      'full GC ms, calls waiting': ratio(self!.fullGcMsWaiting, baseline.fullGcMsWaiting),
      'full GC ms per 10,000 waiting calls': ratio(perTenThousand(self!), perTenThousand(baseline)),
    });
  }
  return {
    name: 'waiting-calls',
    rows,
    params: {
      scenario: 'uac-call.xml through the demo node (trusted source), measured while the calls wait out Timers J, L and M',
      rate: options.rate,
      warmupCalls: options.warmupCalls,
      calls: options.calls,
      drainMs: options.drainMs,
      collections: options.collections,
      ...(options.baseline ? { baseline: options.baseline } : {}),
    },
  };
}

function perTenThousand(m: BuildReading): number {
  return Math.round(((m.fullGcMsWaiting - m.fullGcMsIdle) / Math.max(1, m.calls)) * 10_000 * 100) / 100;
}

async function measureBuild(build: string, distRoot: string | undefined, options: WaitingCallsOptions): Promise<BuildReading> {
  return withCallingNode(distRoot ? { distRoot } : {}, { rate: options.rate, timeoutMs: 120_000, who: build }, async (node, calls) => {
    await calls(options.warmupCalls);
    await new Promise((done) => setTimeout(done, options.drainMs));
    const idle = await node.memory(true);
    const idleGc = percentile(await node.fullGcMs(options.collections), 50);
    const outcome = await calls(options.calls);
    const waiting = await node.memory(true);
    const waitingGc = percentile(await node.fullGcMs(options.collections), 50);
    return {
      build,
      calls: outcome.successful,
      failed: outcome.failed,
      heapBytesPerCall: Math.round((waiting.heapUsed - idle.heapUsed) / Math.max(1, outcome.successful)),
      heapMiBIdle: Math.round((idle.heapUsed / 2 ** 20) * 10) / 10,
      fullGcMsIdle: Math.round(idleGc * 100) / 100,
      fullGcMsWaiting: Math.round(waitingGc * 100) / 100,
    };
  });
}
