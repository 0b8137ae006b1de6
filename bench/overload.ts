import type { BenchResult } from './bench-result.js';
import { settle } from './sip-load/load-step.js';
import { BENCH_DOMAIN, NodeUnderTest } from './sip-load/node-under-test.js';
import { nodeFlags } from './sip-load/node-flags.js';
import { percentile } from './sip-load/percentile.js';
import { runSipp, SippServer, sippAvailable, startSipp } from './sip-load/sipp.js';
import { skippedWithoutSipp } from './sip-load/skipped.js';
import { servedInFull } from './sip-load/served-in-full.js';
import { stepUp } from './sip-load/step-up.js';
import { systemStep, type SystemUnderTest } from './sip-load/system-step.js';
import { registerCallee } from './sip-load/register-callee.js';

const CALLEE = 'user000001';
/** Finer than `vs-kamailio`'s ladder where one core's ceilings fall, so that three times the ceiling is three times what is served. */
const CEILING_RATES = [500, 700, 900, 1000, 1100, 1200, 1300, 1500, 1800, 2100, 2500, 3000, 3500, 5000, 7000];
const OPTIONS_PER_SECOND = 10;
const RECOVERY_LIMIT_SECONDS = 10;

/**
 * Issue 14's overload acceptance: SIPp offers `--factor` (3) times the
 * node's zero-failure ceiling (`--ceiling=`, or found by a step-up in which
 * a call refused with 503 counts as failed, `servedInFull`) for
 * `--seconds` (60; `--quick` 15) with 503 as an expected answer, while a
 * second SIPp sends OPTIONS at 10/s. Then 1 s runs at the ceiling until one
 * is served in full: the recovery time. Reports admitted calls/s against
 * the ceiling, failed admitted calls, OPTIONS p99 and the slowest answers
 * with when they came, RSS over the run. `--node-args=` gives the node
 * Node.js flags (space separated), as for `ab-calls`.
 */
export async function run(options: { quick?: boolean; flags?: Record<string, string> } = {}): Promise<BenchResult> {
  if (!sippAvailable()) return skippedWithoutSipp('overload');
  const flags = options.flags ?? {};
  const seconds = Number(flags.seconds ?? (options.quick ? 15 : 60));
  const factor = Number(flags.factor ?? 3);
  const nodeArgs = nodeFlags(flags['node-args']);
  const node = await NodeUnderTest.start({
    trusted: true,
    users: 10,
    nodeArgs,
    ...(process.env.SLEET_BENCH_CPU_PROFILE ? { cpuProfileDir: process.env.SLEET_BENCH_CPU_PROFILE } : {}),
  });
  const uas = await SippServer.start('uas-call.xml');
  try {
    const system: SystemUnderTest = { name: 'sleet', pid: node.pid, target: `127.0.0.1:${node.sipPort}`, uas };
    await registerCallee(system.target, uas, CALLEE, 'the node');
    const call = (scenario: string, rate: number, callSeconds: number) => ({
      scenario,
      target: system.target,
      rate,
      calls: Math.max(1, Math.round(rate * callSeconds)),
      service: CALLEE,
      pauseMs: 0,
      keys: { domain: BENCH_DOMAIN },
      timeoutMs: (callSeconds + 40) * 1000,
    });
    await systemStep(system, call('uac-call.xml', 100, 5));
    const ceiling =
      flags.ceiling !== undefined
        ? Number(flags.ceiling)
        : (
            await stepUp(CEILING_RATES, options.quick ? 5 : 10, 3000, async (rate, s) =>
              servedInFull(await systemStep(system, call('uac-call-or-503.xml', rate, s))),
            )
          ).ceiling;
    if (!(ceiling > 0)) throw new Error('no zero-failure ceiling: the node failed calls at the lowest step');
    await settle(5000);

    const offered = ceiling * factor;
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(Math.round(node.rssKiB() / 1024)), 1000);
    const probe = await startSipp({
      scenario: 'options-probe.xml',
      target: system.target,
      rate: OPTIONS_PER_SECOND,
      calls: OPTIONS_PER_SECOND * seconds,
      keys: { domain: BENCH_DOMAIN },
      timeoutMs: (seconds + 30) * 1000,
    });
    const overload = await runSipp(call('uac-call-or-503.xml', offered, seconds));
    const options503 = await probe.finished;
    clearInterval(sampler);
    const admitted = overload.rttMs.length;

    let recoverySeconds: number | string = `> ${RECOVERY_LIMIT_SECONDS}`;
    const started = Date.now();
    while (Date.now() - started < RECOVERY_LIMIT_SECONDS * 1000) {
      const second = await runSipp(call('uac-call-or-503.xml', ceiling, 1));
      if (second.failed === 0 && second.rttMs.length === second.successful && second.successful === ceiling) {
        recoverySeconds = Math.round((Date.now() - started) / 100) / 10;
        break;
      }
    }
    const row = {
      'ceiling cps': ceiling,
      'offered cps': offered,
      'admitted calls/s': Math.round(admitted / seconds),
      'admitted / ceiling': Math.round((admitted / seconds / ceiling) * 100) / 100,
      'shed calls': overload.successful - admitted,
      'failed calls': overload.failed + (Math.round(offered * seconds) - overload.successful - overload.failed),
      'OPTIONS p99 ms': percentile(options503.rttMs, 99),
      'OPTIONS unanswered': OPTIONS_PER_SECOND * seconds - options503.rttMs.length,
      'RSS MiB first/max/last': `${rss[0] ?? 'n/a'} / ${Math.max(...rss)} / ${rss[rss.length - 1] ?? 'n/a'}`,
      'recovery s': recoverySeconds,
    };
    return {
      name: 'overload',
      rows: [row],
      params: {
        seconds,
        factor,
        optionsPerSecond: OPTIONS_PER_SECOND,
        nodeArgs,
        rssMiBPerSecond: rss,
        // Where in the run the slow answers fell (the onset of the overload, a collection, throughout).
        optionsSlowest: slowest(options503.rttTimeline, 10),
        scenario: 'uac-call-or-503.xml (503 expected)',
        acceptance: 'admitted ≥ 0.9 × ceiling, 0 failed, OPTIONS p99 < 200 ms, RSS bounded, recovery ≤ 5 s',
      },
    };
  } finally {
    await uas.stop();
    await node.stop();
  }
}

/** The `count` longest round trips, with the second of the run (from the first answer) each was measured in. */
function slowest(timeline: Array<{ atMs: number; ms: number }>, count: number): Array<{ second: number; ms: number }> {
  const start = timeline[0]?.atMs ?? 0;
  return timeline
    .map(({ atMs, ms }) => ({ second: Math.floor((atMs - start) / 1000), ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}
