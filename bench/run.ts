import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Benchmark, BenchResult } from './bench-result.js';
import { BUSY_WARNING_PERCENT, machineBusyPercent } from './machine-busy.js';
import { writeResult } from './write-result.js';

/** Every benchmark by name; each module exports `run`. Loaded lazily so one missing prerequisite does not stop the others. */
const BENCHMARKS: Record<string, () => Promise<{ run: Benchmark }>> = {
  core: () => import('./core.js'),
  'sip-parser': () => import('./sip-parser.js'),
  'sip-timers': () => import('./sip-timers.js'),
  profiles: () => import('./profiles.js'),
  'deploy-cycles': () => import('./deploy-cycles.js'),
  'sip-calls': () => import('./sip-calls.js'),
  'sip-register': () => import('./sip-register.js'),
  'sip-concurrency': () => import('./sip-concurrency.js'),
  'sip-transaction-memory': () => import('./sip-transaction-memory.js'),
  'vs-kamailio': () => import('./vs-kamailio.js'),
  'ab-calls': () => import('./ab-calls.js'),
  'alloc-calls': () => import('./alloc-calls.js'),
  'ic-misses': () => import('./ic-misses.js'),
  'waiting-calls': () => import('./waiting-calls.js'),
  'count-calls': () => import('./count-calls.js'),
  overload: () => import('./overload.js'),
  'quiet-burst': () => import('./quiet-burst.js'),
  soak: () => import('./soak.js'),
  cluster: () => import('./cluster.js'),
};

function machine() {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const names = args.filter((a) => !a.startsWith('--'));
  // `--name=value` options go to the benchmarks that take them (vs-kamailio: --seconds=60).
  const flags = Object.fromEntries(
    args.filter((a) => a.startsWith('--') && a.includes('=')).map((a) => [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
  );
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exit(2);
  }
  const selected = names.length > 0 ? names : Object.keys(BENCHMARKS);
  const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  let failed = false;
  for (const name of selected) {
    const busyBefore = await machineBusyPercent();
    if (busyBefore !== undefined && busyBefore > BUSY_WARNING_PERCENT) {
      console.warn(`warning: other processes kept ${busyBefore}% of the machine's CPU busy before ${name}; its figures will understate Sleet`);
    }
    let result: BenchResult;
    try {
      result = await (await BENCHMARKS[name]!()).run({ quick, flags });
    } catch (err) {
      failed = true;
      console.error(`benchmark ${name} failed:`, err);
      continue;
    }
    console.log(`\n== ${result.name} == (machine busy before: ${busyBefore ?? '?'}%)`);
    console.table(result.rows);
    console.log('parameters:', JSON.stringify(result.params));
    const file = writeResult(resultsDir, result, { ...machine(), busyPercentBefore: busyBefore ?? null });
    console.log(`written: ${file}`);
  }
  process.exit(failed ? 1 : 0);
}

await main();
