import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './bench-result.js';
import { countUnderCallgrind, type InstructionCount } from './counting/count-under-callgrind.js';
import { displayName } from './counting/display-name.js';
import { INSTRUCTION_PARTS } from './counting/instruction-part.js';
import { perCall, type PerCall } from './counting/per-call.js';
import { eachBuild } from './sip-load/calling-node.js';
import { skipped } from './skipped.js';
import { VALGRIND_MISSING, valgrindAvailable } from './counting/valgrind.js';

export interface CountCallsOptions {
  /** The two call counts; one call's cost is the difference of their counts over the difference of calls. */
  calls: [number, number];
  /** Functions listed per build. */
  top: number;
  /** Another build's dist directory (a checkout's), counted the same way after this one. */
  baseline?: string;
  /** Node.js binaries for this build and the baseline; default the one running the bench. */
  node?: string;
  baselineNode?: string;
  /** Functions (a regular expression over the names listed) whose callers are counted too. */
  callersOf?: RegExp;
}

interface BuildCount {
  build: string;
  node: string;
  perCall: PerCall['parts'];
  functions: PerCall['functions'];
  callers: PerCall['callers'];
  harness: [string, string];
}

const thisDist = join(fileURLToPath(import.meta.url), '..', '..');

/**
 * Instructions per demo call, split by part and by function: the count
 * harness `demo-call-count --settle` (the demo node in-process, one call at
 * a time through its whole service path, the transactions' wait state
 * passed on a driven clock) under callgrind at two sizes. A count does not
 * depend on how busy or fast the machine is, so a change too small for
 * `ab-calls` to resolve shows exactly against `--baseline`.
 */
export async function run(options: { quick?: boolean; flags?: Record<string, string> } = {}): Promise<BenchResult> {
  if (!valgrindAvailable()) return skipped('count-calls', VALGRIND_MISSING);
  const flags = options.flags ?? {};
  const calls = (flags.calls ?? (options.quick ? '200,600' : '1000,3000')).split(',').map(Number);
  if (calls.length !== 2 || !(calls[0]! >= 1) || !(calls[1]! > calls[0]!)) throw new Error(`--calls takes two counts, the smaller first: ${flags.calls}`);
  return measure({
    calls: calls as [number, number],
    top: Number(flags.top ?? 25),
    ...(flags.baseline ? { baseline: resolve(flags.baseline) } : {}),
    ...(flags.node ? { node: flags.node } : {}),
    ...(flags['baseline-node'] ? { baselineNode: flags['baseline-node'] } : {}),
    ...(flags.callers ? { callersOf: new RegExp(flags.callers) } : {}),
  });
}

export async function measure(options: CountCallsOptions): Promise<BenchResult> {
  const builds = await eachBuild(options.baseline, (build, distRoot) =>
    build === 'this' ? countBuild(build, thisDist, options.node, options) : countBuild(build, distRoot!, options.baselineNode, options),
  );
  const [self, baseline] = builds as [BuildCount, BuildCount | undefined];
  const rows = (['all', ...INSTRUCTION_PARTS] as const).map((part) => {
    const row: Record<string, string | number> = { part, 'this, per call': self.perCall[part] };
    if (baseline !== undefined) {
      row['baseline, per call'] = baseline.perCall[part];
      if (baseline.perCall[part] > 0) row['this/baseline'] = Math.round((self.perCall[part] / baseline.perCall[part]) * 1000) / 1000;
    }
    return row;
  });
  if (options.callersOf !== undefined) {
    for (const b of builds) {
      console.log(`callers of ${options.callersOf} (${b.build}), instructions per call, the callee's callees included:`);
      console.table(
        b.callers.flatMap((c) => [
          { function: displayName(c.callee), caller: '(all)', 'per call': c.perCall },
          ...c.callers.map((k) => ({ function: '', caller: displayName(k.name), 'per call': k.perCall })),
        ]),
      );
    }
  }
  return {
    name: 'count-calls',
    rows,
    params: {
      harness:
        'node --predictable --predictable-gc-schedule --random-seed=1 --perf-basic-prof --no-compact-code-space dist/bench/demo-call-count.js <calls> --settle, under valgrind --tool=callgrind',
      calls: options.calls,
      perCall: '(count at the larger size − count at the smaller) / (difference of calls), instructions',
      ...(options.baseline ? { baseline: options.baseline } : {}),
      ...(options.callersOf ? { callersOf: String(options.callersOf) } : {}),
      builds: builds.map((b) => ({
        build: b.build,
        node: b.node,
        harness: b.harness,
        perCall: b.perCall,
        functions: b.functions,
        ...(options.callersOf ? { callers: b.callers } : {}),
      })),
    },
  };
}

async function countBuild(build: string, distRoot: string, node: string | undefined, options: CountCallsOptions): Promise<BuildCount> {
  const harness = join(distRoot, 'bench', 'demo-call-count.js');
  const count = (calls: number) =>
    countUnderCallgrind(['--predictable', '--predictable-gc-schedule', '--random-seed=1', harness, String(calls), '--settle'], {
      ...(node ? { node } : {}),
      // Under valgrind a call takes about 50 ms, and the node's start some 30 s.
      timeoutMs: 600_000 + calls * 500,
      ...(options.callersOf ? { callersOf: options.callersOf } : {}),
    });
  // A build made by `tsc -b` alone (a baseline worktree) has not built the demo's example bundles: the node would build
  // them with the SDK in both counted runs, under valgrind, for many minutes and in neither count the same way.
  await promisify(execFile)(node ?? process.execPath, [join(distRoot, 'server', 'demo', 'prebuild-demo-bundles.js')], { timeout: 300_000 });
  const [small, large] = (await Promise.all(options.calls.map(count))) as [InstructionCount, InstructionCount];
  const { parts, functions, callers } = perCall(small, large, options.calls[1] - options.calls[0], options.top);
  return { build, node: node ?? process.execPath, perCall: parts, functions, callers, harness: [small.stdout, large.stdout] };
}
