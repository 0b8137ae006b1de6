import type { BenchResult } from './bench-result.js';
import { comparisonRows, type Ceilings, type NodeProxySteps } from './sip-load/comparison-rows.js';
import { KAMAILIO_MISSING, kamailioAvailable } from './sip-load/kamailio-process.js';
import { KAMAILIO_SHM_MIB, startKamailioUnderTest } from './sip-load/kamailio-under-test.js';
import { settle } from './sip-load/load-step.js';
import { FLOOR_RELAY, ScriptUnderTest, STACK_PROXY } from './sip-load/script-under-test.js';
import { BENCH_DOMAIN, NodeUnderTest } from './sip-load/node-under-test.js';
import { SippServer, sippAvailable } from './sip-load/sipp.js';
import { skippedWithoutSipp } from './sip-load/skipped.js';
import { skipped } from './skipped.js';
import { stepUp } from './sip-load/step-up.js';
import type { SystemStep, SystemUnderTest } from './sip-load/system-step.js';
import { callStep } from './sip-load/call-step.js';
import { vsKamailioOptions, type VsKamailioOptions } from './sip-load/vs-kamailio-options.js';
import { registerCallee } from './sip-load/register-callee.js';
import { workersArgs } from './sip-load/workers-args.js';

const CALLEE = 'user000001';

/**
 * Sleet's demo node and Kamailio (bench/kamailio/kamailio.cfg: record-route,
 * usrloc lookup, stateful relay) in one run, each warmed up, driven by the
 * same SIPp uac → proxy → SIPp uas scenario as `sip-calls`: side by side at
 * fixed rates, then each stepped up to its zero-failure ceiling. Kamailio
 * gets as many UDP children as Sleet gets cores: more than one core is
 * `sleet start --workers=N`, with its state in Redis (SLEET_BENCH_REDIS_URL).
 * On one core two more proxies run the same steps: the Node.js floor
 * (`floor-relay.ts`), which splits the gap into what Node.js costs and what
 * Sleet adds, and the SIP stack alone (its standalone proxy example), which
 * splits what Sleet adds into the stack's part and the SLEE's.
 */
export async function run(options: { quick?: boolean; flags?: Record<string, string> } = {}): Promise<BenchResult> {
  if (!sippAvailable()) return skippedWithoutSipp('vs-kamailio');
  if (!kamailioAvailable()) return skipped('vs-kamailio', KAMAILIO_MISSING);
  return compare(vsKamailioOptions(options.quick ?? false, options.flags ?? {}));
}

export async function compare(options: VsKamailioOptions): Promise<BenchResult> {
  const stops: Array<() => Promise<void>> = [];
  try {
    const kamailio = await startKamailioUnderTest(options.cores);
    stops.push(() => kamailio.stop());
    const node = await NodeUnderTest.start({
      trusted: true,
      users: 10,
      extraArgs: workersArgs(options.cores),
      ...(process.env.SLEET_BENCH_CPU_PROFILE ? { cpuProfileDir: process.env.SLEET_BENCH_CPU_PROFILE } : {}),
    });
    stops.push(() => node.stop());
    // The floor and the stack alone are one event loop each: they are measured beside one core's Kamailio only.
    const floor = options.cores === 1 ? await ScriptUnderTest.start(FLOOR_RELAY) : undefined;
    if (floor) stops.push(() => floor.stop());
    const stack = options.cores === 1 ? await ScriptUnderTest.start(STACK_PROXY) : undefined;
    if (stack) stops.push(() => stack.stop());
    const systems: SystemUnderTest[] = [];
    for (const [name, pid, port] of [
      ['kamailio', kamailio.pid, kamailio.sipPort],
      ['sleet', node.pid, node.sipPort],
      ...(floor ? ([['floor', floor.pid, floor.sipPort]] as const) : []),
      ...(stack ? ([['stack', stack.pid, stack.sipPort]] as const) : []),
    ] as const) {
      const uas = await SippServer.start('uas-call.xml');
      stops.push(() => uas.stop());
      const system = { name, pid, target: `127.0.0.1:${port}`, uas };
      await registerCallee(system.target, system.uas, CALLEE, system.name);
      systems.push(system);
    }
    const [k, s, ...nodeProxies] = systems as [SystemUnderTest, SystemUnderTest, ...SystemUnderTest[]];
    const step = (system: SystemUnderTest, rate: number, seconds: number) => callStep(system, CALLEE, rate, seconds);
    for (const system of systems) await step(system, 100, options.warmupSeconds);
    const pairs: Array<{ kamailio: SystemStep; sleet: SystemStep } & NodeProxySteps> = [];
    for (const rate of options.rates) {
      const pair: { kamailio?: SystemStep; sleet?: SystemStep } & NodeProxySteps = {};
      for (const system of systems) {
        await settle(options.settleMs);
        pair[system.name as keyof typeof pair] = await step(system, rate, options.seconds);
      }
      pairs.push(pair as { kamailio: SystemStep; sleet: SystemStep } & NodeProxySteps);
    }
    let ceilings: Ceilings | undefined;
    if (options.ceilingRates.length > 0) {
      // Each ladder starts warm: a node that sat idle through the other's ladder met its first step cold, and a
      // Sleet run once stopped at 500 calls/s that way (its JIT and heap re-growing under 900 calls/s at once).
      const up = async (system: SystemUnderTest) => {
        await step(system, 100, options.warmupSeconds);
        return stepUp(options.ceilingRates, options.ceilingSeconds, options.settleMs, (rate, seconds) => step(system, rate, seconds));
      };
      ceilings = { kamailio: await up(k), sleet: await up(s) };
      for (const system of nodeProxies) ceilings[system.name as keyof NodeProxySteps] = await up(system);
    }
    const kamailioErrors = kamailio.errorLines();
    if (kamailioErrors.length > 0) console.warn(`vs-kamailio: Kamailio logged ${kamailioErrors.length} errors, first: ${kamailioErrors[0]}`);
    return {
      name: 'vs-kamailio',
      rows: comparisonRows(pairs, ceilings),
      params: {
        ...options,
        ratio:
          'Sleet/Kamailio: CPU per completed call of the proxy processes (lower is better); on the ceiling row, the ratio of the zero-failure ceilings (higher is better)',
        kamailio: {
          config: 'bench/kamailio/kamailio.cfg',
          children: options.cores,
          shmMiB: KAMAILIO_SHM_MIB,
          errors: kamailioErrors.length,
          firstErrors: kamailioErrors.slice(0, 5),
        },
        sleet: {
          command: ['sleet start --demo --trusted 127.0.0.0/8', ...workersArgs(options.cores)].join(' '),
          cores: options.cores,
        },
        ...(floor
          ? {
              floor:
                'bench/sip-load/floor-relay.ts: a stateless record-routing relay on dgram with a Map for a registrar, no validation, transactions or timers; what any proxy on Node.js pays at least (Floor/Kamailio), and what Sleet adds to it (Sleet/Floor)',
            }
          : {}),
        ...(stack
          ? {
              stack:
                'resource-adaptors/sip/examples/standalone-proxy.ts: the SIP stack alone, a stateful record-routing proxy with an in-memory registrar and no SLEE; what the stack costs (Stack/Kamailio), and what the SLEE and the demo services add to it (Sleet/Stack)',
            }
          : {}),
        callee: `${CALLEE}@${BENCH_DOMAIN}`,
        callLength: '0 ms (INVITE, 180, 200, ACK, BYE, 200)',
        transport: 'UDP loopback',
        steps: pairs,
        ...(ceilings ? { ceilings } : {}),
      },
    };
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}
