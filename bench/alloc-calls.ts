import { resolve } from 'node:path';
import type { BenchResult } from './bench-result.js';
import type { AllocationReading } from './sip-load/heap-sampling.js';
import { eachBuild, withCallingNode } from './sip-load/calling-node.js';
import { sippAvailable } from './sip-load/sipp.js';
import { skippedWithoutSipp } from './sip-load/skipped.js';

export interface AllocCallsOptions {
  rate: number;
  warmupCalls: number;
  calls: number;
  /** Sites listed per build. */
  top: number;
  /** Another build's dist directory, measured the same way after this one. */
  baseline?: string;
}

interface BuildAllocation {
  build: string;
  calls: number;
  failed: number;
  kibPerCall: number;
  sites: Array<{ site: string; kibPerCall: number }>;
}

/**
 * What the demo node allocates per SIPp call (`uac-call.xml` through its
 * full service path), garbage included: V8's sampling heap profiler over
 * `--calls` calls after `--warmup-calls`. Unlike CPU time, this barely
 * moves between runs or machines, so a change that allocates less shows
 * as a ratio against `--baseline=<dist>` even where `ab-calls` cannot
 * resolve its CPU effect. Lists the sites that allocate most.
 */
export async function run(options: { quick?: boolean; flags?: Record<string, string> } = {}): Promise<BenchResult> {
  if (!sippAvailable()) return skippedWithoutSipp('alloc-calls');
  const flags = options.flags ?? {};
  return measure({
    rate: Number(flags.rate ?? 500),
    warmupCalls: Number(flags['warmup-calls'] ?? (options.quick ? 1000 : 5000)),
    calls: Number(flags.calls ?? (options.quick ? 500 : 2000)),
    top: Number(flags.top ?? 15),
    ...(flags.baseline ? { baseline: resolve(flags.baseline) } : {}),
  });
}

export async function measure(options: AllocCallsOptions): Promise<BenchResult> {
  const measured = await eachBuild(options.baseline, (build, distRoot) => measureBuild(build, distRoot, options));
  const rows: Array<Record<string, string | number>> = measured.map((m) => ({
    build: m.build,
    calls: m.calls,
    failed: m.failed,
    'KiB allocated/call': m.kibPerCall,
  }));
  const [self, baseline] = measured;
  if (baseline !== undefined) rows.push({ build: 'this/baseline', 'KiB allocated/call': Math.round((self!.kibPerCall / baseline.kibPerCall) * 1000) / 1000 });
  return {
    name: 'alloc-calls',
    rows,
    params: {
      scenario: 'uac-call.xml through the demo node (trusted source)',
      rate: options.rate,
      warmupCalls: options.warmupCalls,
      calls: options.calls,
      sampler: 'V8 sampling heap profiler, every 4 KiB, objects collected by the scavenger and the full collector included',
      ...(options.baseline ? { baseline: options.baseline } : {}),
      sites: Object.fromEntries(measured.map((m) => [m.build, m.sites])),
    },
  };
}

async function measureBuild(build: string, distRoot: string | undefined, options: AllocCallsOptions): Promise<BuildAllocation> {
  return withCallingNode(distRoot ? { distRoot } : {}, { rate: options.rate, timeoutMs: 120_000, who: build }, async (node, calls) => {
    await calls(options.warmupCalls);
    await node.heapSampling('start');
    const outcome = await calls(options.calls);
    const reading: AllocationReading = await node.heapSampling('stop', options.top);
    const perCall = (bytes: number) => Math.round((bytes / Math.max(1, outcome.successful) / 1024) * 10) / 10;
    return {
      build,
      calls: outcome.successful,
      failed: outcome.failed,
      kibPerCall: perCall(reading.bytes),
      sites: reading.sites.map((s) => ({ site: s.site, kibPerCall: perCall(s.bytes) })),
    };
  });
}
