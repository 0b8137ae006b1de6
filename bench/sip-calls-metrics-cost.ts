import type { BenchResult } from './bench-result.js';
import { abbaSteps } from './sip-load/abba-steps.js';
import { BENCH_DOMAIN, NodeUnderTest } from './sip-load/node-under-test.js';
import { percentile } from './sip-load/percentile.js';
import { SippServer } from './sip-load/sipp.js';
import { systemStep, type SystemUnderTest } from './sip-load/system-step.js';
import { registerCallee } from './sip-load/register-callee.js';

const CALLEE = 'user000001';

/**
 * What serving the metrics costs per call: two demo nodes of this build side
 * by side, one with `--metrics off`, one with the metrics on and scraped every
 * `scrapeMs` (as Prometheus would, more often than its usual 15 s), take the
 * same SIPp calls in turns (ABBA order, so a busy neighbour weighs on both
 * alike). Reports each pair's node CPU per call and the extra share. The
 * counters bumped in place run in both nodes: `--metrics off` removes the
 * registry, the scrape and the process metrics.
 */
export async function runMetricsCost(options: { rate: number; seconds: number; pairs: number; scrapeMs: number }): Promise<BenchResult> {
  const { rate, seconds, pairs, scrapeMs } = options;
  const stops: Array<() => Promise<void>> = [];
  try {
    const systems: Array<SystemUnderTest & { node: NodeUnderTest }> = [];
    for (const [name, extraArgs] of [
      ['metrics on', []],
      ['metrics off', ['--metrics', 'off']],
    ] as const) {
      const node = await NodeUnderTest.start({ trusted: true, users: 10, extraArgs: [...extraArgs] });
      stops.push(() => node.stop());
      const uas = await SippServer.start('uas-call.xml');
      stops.push(() => uas.stop());
      const system = { name, pid: node.pid, target: `127.0.0.1:${node.sipPort}`, uas, node };
      await registerCallee(system.target, uas, CALLEE, name);
      systems.push(system);
    }
    const metricsUrl = `${systems[0]!.node.managementUrl()}/metrics`;
    let scrapes = 0;
    const scraper = setInterval(() => {
      fetch(metricsUrl)
        .then((r) => r.text())
        .then(
          () => scrapes++,
          () => undefined,
        );
    }, scrapeMs);
    stops.push(async () => clearInterval(scraper));
    const step = (system: SystemUnderTest, calls: number) =>
      systemStep(system, {
        scenario: 'uac-call.xml',
        rate,
        calls,
        service: CALLEE,
        pauseMs: 0,
        keys: { domain: BENCH_DOMAIN },
        timeoutMs: (seconds + 30) * 1000,
      });
    for (const system of systems) await step(system, rate * 5); // warm-up
    const rows: Array<Record<string, string | number>> = [];
    const costs: number[] = [];
    const rounds = await abbaSteps(systems, pairs, (system) => step(system, rate * seconds));
    for (const [i, figures] of rounds.entries()) {
      const on = figures.get('metrics on')!;
      const off = figures.get('metrics off')!;
      const cost = Math.round((on.proxyMsPerCall / off.proxyMsPerCall - 1) * 1000) / 10;
      costs.push(cost);
      rows.push({
        pair: i + 1,
        'on CPU ms/call': on.proxyMsPerCall,
        'off CPU ms/call': off.proxyMsPerCall,
        'metrics cost %': cost,
        'on failed': on.failed,
        'off failed': off.failed,
      });
    }
    rows.push({ pair: 'median', 'metrics cost %': percentile([...costs], 50) });
    return { name: 'sip-calls-metrics-cost', rows, params: { rate, seconds, pairs, scrapeMs, scrapes, order: 'ABBA', limit: 'cost under 5% of CPU per call' } };
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}
