import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './bench-result.js';
import { eachBuild, withCallingNode } from './sip-load/calling-node.js';
import { megamorphicMisses } from './sip-load/ic-log.js';
import { sippAvailable } from './sip-load/sipp.js';
import { skippedWithoutSipp } from './sip-load/skipped.js';

/** Between the warm-up and the measured calls, so that the log's clock and the probe's need not agree to the millisecond. */
const GAP_MS = 3000;

interface BuildMisses {
  build: string;
  calls: number;
  failed: number;
  perCall: number;
  sites: Array<{ site: string; perCall: number }>;
}

/**
 * Property accesses of Sleet's code that take V8's slow path, per SIPp call
 * (`uac-call.xml` through the demo node): the node runs with `--log-ic`,
 * and every megamorphic inline-cache miss in Sleet's code after the
 * warm-up is counted by site. An object built in more shapes than a
 * cache holds (conditional spreads, fields added after construction) shows
 * here as a miss per call; such a count does not depend on the machine, so
 * `--baseline=<dist>` compares two builds exactly. The log slows the node:
 * this counts, it does not time.
 */
export async function run(options: { quick?: boolean; flags?: Record<string, string> } = {}): Promise<BenchResult> {
  if (!sippAvailable()) return skippedWithoutSipp('ic-misses');
  const flags = options.flags ?? {};
  const rate = Number(flags.rate ?? 100);
  const warmupCalls = Number(flags['warmup-calls'] ?? (options.quick ? 1000 : 3000));
  const calls = Number(flags.calls ?? (options.quick ? 500 : 2000));
  const top = Number(flags.top ?? 15);
  const baseline = flags.baseline === undefined ? undefined : resolve(flags.baseline);
  const measured = await eachBuild(baseline, (build, distRoot) => measureBuild(build, distRoot, { rate, warmupCalls, calls, top }));
  const rows: Array<Record<string, string | number>> = measured.map((m) => ({
    build: m.build,
    calls: m.calls,
    failed: m.failed,
    'slow-path accesses/call': m.perCall,
  }));
  return {
    name: 'ic-misses',
    rows,
    params: {
      scenario: 'uac-call.xml through the demo node (trusted source)',
      rate,
      warmupCalls,
      calls,
      counted: "V8 --log-ic lines in the megamorphic state, in the build's own code, after the warm-up",
      ...(baseline ? { baseline } : {}),
      sites: Object.fromEntries(measured.map((m) => [m.build, m.sites])),
    },
  };
}

async function measureBuild(
  build: string,
  distRoot: string | undefined,
  options: { rate: number; warmupCalls: number; calls: number; top: number },
): Promise<BuildMisses> {
  const dir = mkdtempSync(join(tmpdir(), 'sleet-ic-'));
  const log = join(dir, 'v8.log');
  try {
    const start = { nodeArgs: ['--log-ic', `--logfile=${log}`, '--no-logfile-per-isolate'], ...(distRoot ? { distRoot } : {}) };
    return await withCallingNode(start, { rate: options.rate, timeoutMs: 300_000, who: build }, async (node, calls) => {
      await calls(options.warmupCalls);
      const from = (await node.now()) + GAP_MS / 2;
      await new Promise((done) => setTimeout(done, GAP_MS));
      const outcome = await calls(options.calls);
      // The log is complete once the node has exited.
      await node.stop();
      const misses = megamorphicMisses(log, from * 1000, `${pathToFileURL(node.distRoot).href}/`);
      const per = (n: number) => Math.round((n / Math.max(1, outcome.successful)) * 100) / 100;
      const total = [...misses.values()].reduce((a, b) => a + b, 0);
      return {
        build,
        calls: outcome.successful,
        failed: outcome.failed,
        perCall: per(total),
        sites: [...misses]
          .sort((a, b) => b[1] - a[1])
          .slice(0, options.top)
          .map(([site, n]) => ({ site, perCall: per(n) })),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
