import { readFileSync } from 'node:fs';
import type { BenchResult } from './bench-result.js';
import { settle } from './sip-load/load-step.js';
import { NodeUnderTest } from './sip-load/node-under-test.js';
import { percentile } from './sip-load/percentile.js';
import { SippServer, sippAvailable } from './sip-load/sipp.js';
import { skippedWithoutSipp } from './sip-load/skipped.js';
import type { SystemStep } from './sip-load/system-step.js';
import { callStep } from './sip-load/call-step.js';
import { KAMAILIO_MISSING, kamailioAvailable } from './sip-load/kamailio-process.js';
import { startKamailioUnderTest } from './sip-load/kamailio-under-test.js';
import { registerCallee } from './sip-load/register-callee.js';

const CALLEE = 'user000001';
/** The node's INVITE→final histogram: INVITEs answered within this bucket's bound (seconds) and all of them. */
const PROMPT_BUCKET = '0.05';

interface Variant {
  /** What `--variants=` calls it. */
  key: string;
  name: string;
  start(): Promise<Proxy>;
}

/** A proxy under test, new for each trial. */
interface Proxy {
  pid: number;
  sipPort: number;
  /** The Node.js flags a node's process ran with, from /proc: what the variant is; none for Kamailio. */
  nodeFlags: string[];
  /** INVITEs answered finally more than 50 ms after they arrived, so far; null where the proxy does not say (Kamailio). */
  lateInvites(): Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * As the sleet command starts a node; with V8's memory reducer switched
 * back on after it (V8 takes a flag's last setting); and the reference,
 * Kamailio with one worker, which is not in the default run.
 */
const VARIANTS: Variant[] = [
  { key: 'sleet', name: 'sleet (--no-memory-reducer)', start: () => startNode([]) },
  { key: 'reducer', name: 'memory reducer on', start: () => startNode(['--memory-reducer']) },
  { key: 'kamailio', name: 'kamailio (the reference)', start: startKamailio },
];
const DEFAULT_VARIANTS = ['sleet', 'reducer'];

/**
 * A quiet minute, then a burst: the demo node, warmed at 100 calls/s for
 * `--warmup` seconds (10), sits idle for `--idle` seconds (52, the longest
 * pause in a `vs-kamailio` run) and is then offered `--rate` calls/s (900)
 * for `--seconds` (10). Each trial is a new node; `--pairs` (3) trials of
 * each variant, alternated. Reports SIPp's p99 INVITE→200 and
 * retransmissions, and the INVITEs the node itself answered later than 50 ms
 * after they arrived. `--variants=` picks the variants and their order
 * (default `sleet,reducer`); `kamailio` puts the reference through the same
 * pattern.
 */
export async function run(options: { quick?: boolean; flags?: Record<string, string> } = {}): Promise<BenchResult> {
  if (!sippAvailable()) return skippedWithoutSipp('quiet-burst');
  const quick = options.quick ?? false;
  const flag = (name: string, full: number, short: number) => Number(options.flags?.[name] ?? (quick ? short : full));
  const params = {
    rate: flag('rate', 900, 300),
    idleSeconds: flag('idle', 52, 2),
    seconds: flag('seconds', 10, 2),
    warmupSeconds: flag('warmup', 10, 10),
    pairs: flag('pairs', 3, 1),
  };
  const variants = chosenVariants(options.flags?.['variants']);
  const rows: Array<Record<string, string | number>> = [];
  const trials: Array<{ variant: string } & Trial> = [];
  for (let pair = 1; pair <= params.pairs; pair++) {
    for (const variant of variants) {
      const trial = await quietThenBurst(variant, params);
      trials.push({ variant: variant.name, ...trial });
      rows.push({
        variant: variant.name,
        trial: pair,
        'calls/s': trial.burst.achieved,
        failed: trial.burst.failed,
        'p99 INVITE→200 ms': trial.burst.p99Ms,
        'SIPp retransmissions': trial.burst.failures.Retransmissions ?? 0,
        'INVITEs answered after 50 ms': trial.lateInvites ?? '—',
        'CPU ms/call': trial.burst.proxyMsPerCall,
      });
    }
  }
  for (const variant of variants) {
    const own = trials.filter((t) => t.variant === variant.name);
    rows.push({
      variant: variant.name,
      trial: 'median',
      'calls/s': percentile(
        own.map((t) => t.burst.achieved),
        50,
      ),
      failed: own.reduce((sum, t) => sum + t.burst.failed, 0),
      'p99 INVITE→200 ms': percentile(
        own.map((t) => t.burst.p99Ms),
        50,
      ),
      'SIPp retransmissions': percentile(
        own.map((t) => t.burst.failures.Retransmissions ?? 0),
        50,
      ),
      'INVITEs answered after 50 ms': own.some((t) => t.lateInvites === null)
        ? '—'
        : percentile(
            own.map((t) => t.lateInvites!),
            50,
          ),
      'CPU ms/call': percentile(
        own.map((t) => t.burst.proxyMsPerCall),
        50,
      ),
    });
  }
  return { name: 'quiet-burst', rows, params: { ...params, variants, trials } };
}

function chosenVariants(keys: string | undefined): Variant[] {
  return (keys?.split(',') ?? DEFAULT_VARIANTS).map((key) => {
    const variant = VARIANTS.find((v) => v.key === key);
    if (!variant) throw new Error(`--variants: unknown variant ${key}: ${VARIANTS.map((v) => v.key).join(', ')}`);
    if (key === 'kamailio' && !kamailioAvailable()) throw new Error(KAMAILIO_MISSING);
    return variant;
  });
}

interface Trial {
  /** The Node.js flags the node's process ran with, from /proc: what the variant is; none for Kamailio. */
  nodeFlags: string[];
  /** The calls of the warm-up at 100 calls/s. */
  warmupCalls: number;
  burst: SystemStep;
  /** INVITEs the node answered later than 50 ms after they arrived in the burst; null for Kamailio, which does not say. */
  lateInvites: number | null;
}

async function quietThenBurst(variant: Variant, params: { rate: number; idleSeconds: number; seconds: number; warmupSeconds: number }): Promise<Trial> {
  const stops: Array<() => Promise<void>> = [];
  try {
    const proxy = await variant.start();
    stops.push(() => proxy.stop());
    const uas = await SippServer.start('uas-call.xml');
    stops.push(() => uas.stop());
    const system = { name: variant.key, pid: proxy.pid, target: `127.0.0.1:${proxy.sipPort}`, uas };
    await registerCallee(system.target, uas, CALLEE, variant.key);
    const warmup = await callStep(system, CALLEE, 100, params.warmupSeconds);
    await settle(params.idleSeconds * 1000);
    const before = await proxy.lateInvites();
    const burst = await callStep(system, CALLEE, params.rate, params.seconds);
    const after = await proxy.lateInvites();
    return { nodeFlags: proxy.nodeFlags, warmupCalls: warmup.calls, burst, lateInvites: after === null ? null : after - before! };
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

async function startNode(nodeArgs: string[]): Promise<Proxy> {
  const node = await NodeUnderTest.start({ trusted: true, users: 10, nodeArgs });
  const argv = readFileSync(`/proc/${node.pid}/cmdline`, 'utf8').split('\0');
  return {
    pid: node.pid,
    sipPort: node.sipPort,
    nodeFlags: argv.slice(
      1,
      argv.findIndex((arg) => arg.endsWith('main.js')),
    ),
    lateInvites: () => lateInvites(node),
    stop: () => node.stop(),
  };
}

async function startKamailio(): Promise<Proxy> {
  const kamailio = await startKamailioUnderTest(1);
  return { pid: kamailio.pid, sipPort: kamailio.sipPort, nodeFlags: [], lateInvites: async () => null, stop: () => kamailio.stop() };
}

/** INVITEs the node answered finally more than 50 ms after they arrived, so far (its /metrics). */
async function lateInvites(node: NodeUnderTest): Promise<number> {
  const text = await (await fetch(`${node.managementUrl()}/metrics`)).text();
  const bucket = (le: string) =>
    Number(new RegExp(`^sleet_sip_invite_final_response_seconds_bucket\\{le="${le.replace('+', '\\+')}"\\} (\\d+)`, 'm').exec(text)?.[1]);
  const late = bucket('+Inf') - bucket(PROMPT_BUCKET);
  if (Number.isNaN(late)) throw new Error('the node exposes no sleet_sip_invite_final_response_seconds histogram');
  return late;
}
