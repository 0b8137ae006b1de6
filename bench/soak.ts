import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './bench-result.js';
import { settle } from './sip-load/load-step.js';
import { BENCH_DOMAIN, NodeUnderTest } from './sip-load/node-under-test.js';
import { runSipp, SippServer, sippAvailable } from './sip-load/sipp.js';
import { skippedWithoutSipp } from './sip-load/skipped.js';
import { slopePerHour, windowFloors } from './sip-load/trend.js';
import { registerCallee } from './sip-load/register-callee.js';

const CALLEE = 'user000001';
const SAMPLE_SECONDS = 10;
/** Samples per window whose lowest is the heap's floor (a minute: young and old GCs both come round within it under load). */
const FLOOR_SAMPLES = 6;
/** Past 64·T1 (32 s): every transaction of the load has ended its wait state. */
const DRAIN_MS = 40_000;

interface SleeCounts {
  activities: number;
  sbbEntities: number;
}

/**
 * Issue 14's soak: `--rate=` calls/s (half the ceiling: give it, or
 * `--ceiling=`) for `--minutes` (30; `--quick` 2). Heap and RSS every 10 s,
 * their trend lines in MiB per hour, failed calls, and the SLEE's live
 * activities and SBB entities before the load and 40 s after it.
 */
export async function run(options: { quick?: boolean; flags?: Record<string, string> } = {}): Promise<BenchResult> {
  if (!sippAvailable()) return skippedWithoutSipp('soak');
  const flags = options.flags ?? {};
  const minutes = Number(flags.minutes ?? (options.quick ? 2 : 30));
  const rate = Number(flags.rate ?? (flags.ceiling !== undefined ? Number(flags.ceiling) / 2 : Number.NaN));
  if (!(rate > 0)) throw new Error('soak needs --rate=<calls/s> or --ceiling=<zero-failure calls/s> (from vs-kamailio or overload)');
  const node = await NodeUnderTest.start({ trusted: true, users: 10 });
  const uas = await SippServer.start('uas-call.xml');
  try {
    const target = `127.0.0.1:${node.sipPort}`;
    await registerCallee(target, uas, CALLEE, 'the node');
    const before = await sleeCounts(node);
    const heap: number[] = [];
    const rss: number[] = [];
    const sample = async () => {
      const memory = await node.memory(false);
      heap.push(Math.round(memory.heapUsed / 2 ** 20));
      rss.push(Math.round(memory.rss / 2 ** 20));
    };
    const sampler = setInterval(() => void sample(), SAMPLE_SECONDS * 1000);
    const calls = Math.round(rate * minutes * 60);
    const load = await runSipp({
      scenario: 'uac-call.xml',
      target,
      rate,
      calls,
      service: CALLEE,
      pauseMs: 0,
      keys: { domain: BENCH_DOMAIN },
      timeoutMs: (minutes * 60 + 60) * 1000,
    });
    clearInterval(sampler);
    await settle(DRAIN_MS);
    const after = await sleeCounts(node);
    const drained = await node.memory(true);
    return {
      name: 'soak',
      rows: [
        {
          minutes,
          'offered cps': rate,
          'calls ok': load.successful,
          'failed calls': load.failed + (calls - load.successful - load.failed),
          'SIPp failures, retransmissions': describeFailures(load.failures),
          'heap MiB first/last': `${heap[0] ?? 'n/a'} / ${heap[heap.length - 1] ?? 'n/a'}`,
          'heap trend MiB/h': slopePerHour(heap, SAMPLE_SECONDS),
          'heap floor trend MiB/h': slopePerHour(windowFloors(heap, FLOOR_SAMPLES), FLOOR_SAMPLES * SAMPLE_SECONDS),
          'RSS MiB first/last': `${rss[0] ?? 'n/a'} / ${rss[rss.length - 1] ?? 'n/a'}`,
          'RSS trend MiB/h': slopePerHour(rss, SAMPLE_SECONDS),
          'activities before/after': `${before.activities} / ${after.activities}`,
          'SBB entities before/after': `${before.sbbEntities} / ${after.sbbEntities}`,
          'heap after GC MiB': Math.round(drained.heapUsed / 2 ** 20),
        },
      ],
      params: { minutes, rate, sampleSeconds: SAMPLE_SECONDS, drainMs: DRAIN_MS, heapMiB: heap, rssMiB: rss, sippFailures: load.failures },
    };
  } finally {
    await uas.stop();
    await node.stop();
  }
}

/** Live activities and SBB entities from the node's management API (GET /slee). */
async function sleeCounts(node: NodeUnderTest): Promise<SleeCounts> {
  const url = readFileSync(join(node.dataDir, 'management-url'), 'utf8').trim();
  const token = readFileSync(join(node.dataDir, 'management-token'), 'utf8').trim();
  const response = await fetch(`${url}/slee`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /slee: ${response.status}`);
  const info = (await response.json()) as SleeCounts;
  return { activities: info.activities, sbbEntities: info.sbbEntities };
}

/** `MaxUDPRetrans 1, Retransmissions 7`, or `none`. */
function describeFailures(failures: Record<string, number>): string {
  const parts = Object.entries(failures).map(([kind, count]) => `${kind} ${count}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}
