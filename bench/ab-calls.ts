import { resolve } from 'node:path';
import type { BenchResult } from './bench-result.js';
import { abbaSteps } from './sip-load/abba-steps.js';
import { BENCH_DOMAIN, NodeUnderTest } from './sip-load/node-under-test.js';
import { nodeFlags } from './sip-load/node-flags.js';
import { percentile } from './sip-load/percentile.js';
import { SippServer, sippAvailable } from './sip-load/sipp.js';
import { skippedWithoutSipp } from './sip-load/skipped.js';
import { skipped } from './skipped.js';
import { systemStep, type SystemStep, type SystemUnderTest } from './sip-load/system-step.js';
import { registerCallee } from './sip-load/register-callee.js';
import { CHURN_USERS, profileStoreReads, registerChurn } from './sip-load/register-churn.js';
import { workersArgs } from './sip-load/workers-args.js';

const CALLEE = 'user000001';

/**
 * This build against another (`--baseline=<dist dir>`), same-run
 * interleaved pairs: both demo nodes run side by side and take the same
 * SIPp calls in turns (ABBA order), so a busy neighbour weighs on both
 * alike. Reports each pair's CPU-per-call ratio this/baseline and their
 * median. Options: --pairs=6, --rate=300, --seconds=10, and Node.js
 * flags for either side (`--node-args=`, `--baseline-node-args=`, space
 * separated), so one build can be compared with itself under other V8
 * settings (`--baseline=dist`), and the Node.js binary for either side
 * (`--node=`, `--baseline-node=`), so one build can be compared with itself
 * on another Node.js release (the baseline then a copy of the checkout
 * whose native modules were built for that release). `--shed=on` makes
 * both nodes refuse almost every call (admission's utilisation limit at
 * 0.1%) and runs SIPp's `uac-call-or-503.xml`, so the ratio is that of
 * what a shed call costs. `--register-rate=N` has other users register at
 * N/s on each node while its calls run (`registerChurn`), as a live
 * registrar's users do, and adds the profile lookups per call that went to
 * the database; the CPU per call then includes the REGISTERs', alike on
 * both sides. `--workers=N` runs each node as `sleet start --workers=N`,
 * with its state in Redis (SLEET_BENCH_REDIS_URL).
 */
export async function run(options: { quick?: boolean; flags?: Record<string, string> } = {}): Promise<BenchResult> {
  if (!sippAvailable()) return skippedWithoutSipp('ab-calls');
  const flags = options.flags ?? {};
  if (flags.baseline === undefined) return skipped('ab-calls', 'ab-calls compares with another build: pass --baseline=<its dist directory>');
  const pairs = Number(flags.pairs ?? 6);
  const rate = Number(flags.rate ?? 300);
  const seconds = Number(flags.seconds ?? (options.quick ? 5 : 10));
  const nodeArgs = nodeFlags(flags['node-args']);
  const baselineNodeArgs = nodeFlags(flags['baseline-node-args']);
  const execPaths = { this: flags.node, baseline: flags['baseline-node'] };
  const shed = flags.shed === 'on';
  const scenario = shed ? 'uac-call-or-503.xml' : 'uac-call.xml';
  const registerRate = Number(flags['register-rate'] ?? 0);
  const workers = Number(flags.workers ?? 1);
  NodeUnderTest.assertCheckout(resolve(flags.baseline));
  const stops: Array<() => Promise<void>> = [];
  try {
    const systems: Array<SystemUnderTest & { node: NodeUnderTest }> = [];
    for (const [name, distRoot, args] of [
      ['this', undefined, nodeArgs],
      ['baseline', resolve(flags.baseline), baselineNodeArgs],
    ] as const) {
      const execPath = execPaths[name];
      const node = await NodeUnderTest.start({
        trusted: true,
        users: registerRate > 0 ? CHURN_USERS : 10,
        nodeArgs: args,
        extraArgs: [...workersArgs(workers), ...(shed ? ['--overload-max-utilisation', '0.001'] : [])],
        ...(distRoot ? { distRoot } : {}),
        ...(execPath ? { execPath: resolve(execPath) } : {}),
      });
      stops.push(() => node.stop());
      const uas = await SippServer.start('uas-call.xml');
      stops.push(() => uas.stop());
      const system = { name, pid: node.pid, target: `127.0.0.1:${node.sipPort}`, uas, node };
      await registerCallee(system.target, uas, CALLEE, name);
      systems.push(system);
    }
    const step = (system: SystemUnderTest, calls: number) =>
      systemStep(system, {
        scenario,
        rate,
        calls,
        service: CALLEE,
        pauseMs: 0,
        keys: { domain: BENCH_DOMAIN },
        timeoutMs: (seconds + 30) * 1000,
      });
    for (const system of systems) await step(system, rate * 5);
    /** A measured step; with churn, the REGISTERs run beside the calls and the store reads are counted. */
    const measured = async (
      system: SystemUnderTest & { node: NodeUnderTest },
    ): Promise<SystemStep & { storeReadsPerCall?: number; registersFailed?: number }> => {
      if (registerRate === 0) return step(system, rate * seconds);
      const readsBefore = await profileStoreReads(system.node);
      const [calls, registers] = await Promise.all([step(system, rate * seconds), registerChurn(system.node, registerRate, seconds)]);
      const reads = (await profileStoreReads(system.node)) - readsBefore;
      return { ...calls, storeReadsPerCall: Math.round((reads / Math.max(1, calls.successful)) * 1000) / 1000, registersFailed: registers.failed };
    };
    const rows: Array<Record<string, string | number>> = [];
    const ratios: number[] = [];
    const sippFailures: Array<{ this: Record<string, number>; baseline: Record<string, number> }> = [];
    const rounds = await abbaSteps(systems, pairs, measured);
    for (const [i, figures] of rounds.entries()) {
      const a = figures.get('this')!;
      const b = figures.get('baseline')!;
      const ratio = Math.round((a.proxyMsPerCall / b.proxyMsPerCall) * 1000) / 1000;
      ratios.push(ratio);
      sippFailures.push({ this: a.failures, baseline: b.failures });
      rows.push({
        pair: i + 1,
        'this ms/call': a.proxyMsPerCall,
        'baseline ms/call': b.proxyMsPerCall,
        'this/baseline': ratio,
        'this failed': a.failed,
        'baseline failed': b.failed,
        ...(registerRate > 0
          ? {
              'this store reads/call': a.storeReadsPerCall!,
              'baseline store reads/call': b.storeReadsPerCall!,
              'REGISTERs failed': (a.registersFailed ?? 0) + (b.registersFailed ?? 0),
            }
          : {}),
      });
    }
    rows.push({ pair: 'median', 'this/baseline': percentile([...ratios], 50) });
    const first = rounds[0];
    /** The processes each node ran as (its primary, and with --workers its workers), without their pids. */
    const processesOf = (name: string) => Object.keys(first?.get(name)?.byProcessMsPerCall ?? {}).map((p) => p.replace(/\[\d+\]$/, ''));
    return {
      name: 'ab-calls',
      rows,
      params: {
        baseline: resolve(flags.baseline),
        nodeArgs,
        baselineNodeArgs,
        node: execPaths.this ?? process.execPath,
        baselineNode: execPaths.baseline ?? process.execPath,
        sippFailures,
        scenario,
        shed,
        registerRate,
        workers,
        processes: { this: processesOf('this'), baseline: processesOf('baseline') },
        pairs,
        rate,
        seconds,
        order: 'ABBA',
      },
    };
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}
