import type { BenchResult } from './bench-result.js';
import { loadStep, settle, type StepFigures } from './sip-load/load-step.js';
import { BENCH_DOMAIN, NodeUnderTest } from './sip-load/node-under-test.js';
import { SippServer, sippAvailable } from './sip-load/sipp.js';
import { skippedWithoutSipp } from './sip-load/skipped.js';
import { runMetricsCost } from './sip-calls-metrics-cost.js';
import { registerCallee } from './sip-load/register-callee.js';

const CALLEE = 'user000001';
const RATES = [100, 300, 500, 700, 900, 1100, 1300, 1500, 1800, 2100, 2500, 3000, 3500];

/**
 * SIPp uac → Sleet → SIPp uas, the callee registered: every INVITE crosses
 * digest auth (trusted source), call screening, forwarding, the location
 * lookup and the record-routing stateful proxy; ACK and BYE come back through
 * Sleet. The offered rate steps up until a step fails calls.
 *
 * `--metrics-cost=<cps>` measures instead what serving the metrics costs per
 * call at that rate, with and without them in the same run (see
 * sip-calls-metrics-cost.ts); also `--pairs=4`, `--seconds=10`, `--scrape-ms=1000`.
 */
export async function run(options: { quick?: boolean; flags?: Record<string, string> } = {}): Promise<BenchResult> {
  if (!sippAvailable()) return skippedWithoutSipp('sip-calls');
  const flags = options.flags ?? {};
  if (flags['metrics-cost'] !== undefined) {
    return runMetricsCost({
      rate: Number(flags['metrics-cost'] || 500),
      seconds: Number(flags.seconds ?? (options.quick ? 5 : 10)),
      pairs: Number(flags.pairs ?? 4),
      scrapeMs: Number(flags['scrape-ms'] ?? 1000),
    });
  }
  const stepSeconds = options.quick ? 5 : 30;
  const node = await NodeUnderTest.start({
    trusted: true,
    users: 10,
    ...(process.env.SLEET_BENCH_CPU_PROFILE ? { cpuProfileDir: process.env.SLEET_BENCH_CPU_PROFILE } : {}),
  });
  const uas = await SippServer.start('uas-call.xml');
  const target = `127.0.0.1:${node.sipPort}`;
  const rows: Array<Record<string, string | number>> = [];
  let best = 0;
  try {
    await registerCallee(target, uas, CALLEE, 'the node');
    const call = (rate: number, seconds: number) =>
      loadStep(node, {
        scenario: 'uac-call.xml',
        target,
        rate,
        calls: rate * seconds,
        service: CALLEE,
        pauseMs: 0,
        keys: { domain: BENCH_DOMAIN },
        timeoutMs: (seconds + 30) * 1000,
      });
    await call(100, 5); // warm-up: JIT and caches, not reported
    for (const rate of RATES) {
      await settle(3000);
      const step = await call(rate, stepSeconds);
      rows.push(row(step));
      if (step.failed > 0 || step.achieved < rate * 0.9) break;
      best = rate;
    }
  } finally {
    await uas.stop();
    await node.stop();
  }
  return {
    name: 'sip-calls',
    rows,
    params: {
      stepSeconds,
      rates: RATES,
      highestRateWithZeroFailed: best,
      callee: `${CALLEE}@${BENCH_DOMAIN}`,
      callLength: '0 ms (INVITE, 180, 200, ACK, BYE, 200)',
      transport: 'UDP loopback',
    },
  };
}

function row(step: StepFigures): Record<string, string | number> {
  return {
    'offered cps': step.offered,
    'calls/s': step.achieved,
    failed: step.failed,
    'node CPU ms/call': step.cpuMsPer,
    'node CPU %': step.cpuPercent,
    'p50 INVITE→200 ms': step.p50Ms,
    'p99 INVITE→200 ms': step.p99Ms,
    'node loop delay p99 ms': step.loopP99Ms,
    'node loop delay max ms': step.loopMaxMs,
    'RSS MiB': step.rssMiB,
  };
}
