import type { BenchResult } from './bench-result.js';
import { round2, settle } from './sip-load/load-step.js';
import { BENCH_DOMAIN, NodeUnderTest } from './sip-load/node-under-test.js';
import { runSipp, SippServer, sippAvailable, startSipp } from './sip-load/sipp.js';
import { skippedWithoutSipp } from './sip-load/skipped.js';
import { registerCallee } from './sip-load/register-callee.js';

const CALLEE = 'user000001';
/**
 * Longer than 64·T1 = 32 s: Timer L and M (an INVITE transaction stays
 * "Accepted" that long after its 2xx, RFC 6026) and Timer J (a BYE's server
 * transaction), so only the dialogs themselves are left when measuring.
 */
const DRAIN_MS = 40_000;

/**
 * Many established calls held open at once through the record-routing
 * proxy: the node's heap and RSS per call over its idle baseline (after GC),
 * then whether the heap returns to the baseline once every call has ended.
 */
export async function run(options: { quick?: boolean } = {}): Promise<BenchResult> {
  if (!sippAvailable()) return skippedWithoutSipp('sip-concurrency');
  const calls = options.quick ? 2000 : 20_000;
  const rate = 400;
  const rampMs = (calls / rate) * 1000;
  const holdMs = rampMs + DRAIN_MS + 20_000;
  const node = await NodeUnderTest.start({ trusted: true, users: 10 });
  const uas = await SippServer.start('uas-call.xml');
  const target = `127.0.0.1:${node.sipPort}`;
  try {
    await registerCallee(target, uas, CALLEE, 'the node');
    const callRun = (count: number, pauseMs: number) => ({
      scenario: 'uac-call.xml',
      target,
      rate,
      calls: count,
      limit: count,
      service: CALLEE,
      pauseMs,
      keys: { domain: BENCH_DOMAIN },
      timeoutMs: pauseMs + 120_000 + (count / rate) * 1000,
    });
    await runSipp(callRun(1000, 0)); // warm-up: compiled code and caches belong to the baseline
    await settle(DRAIN_MS);
    const baseline = await node.memory(true);
    const baselineRss = node.rssKiB();
    const handle = await startSipp(callRun(calls, holdMs));
    await settle(rampMs + 5_000);
    const settingUp = await sample(node, handle.currentCalls());
    await settle(DRAIN_MS - 5_000);
    const established = await sample(node, handle.currentCalls());
    const outcome = await handle.finished;
    await settle(DRAIN_MS);
    const after = await node.memory(true);
    const perCall = (bytes: number, calls: number) => Math.round(bytes / Math.max(1, calls));
    const row = (phase: string, at: Sample) => ({
      phase,
      calls: at.calls,
      completed: outcome.successful,
      failed: outcome.failed,
      'baseline heap MiB': mib(baseline.heapUsed),
      'heap MiB': mib(at.memory.heapUsed),
      'heap bytes/call': perCall(at.memory.heapUsed - baseline.heapUsed, at.calls),
      'RSS bytes/call': perCall((at.rssKiB - baselineRss) * 1024, at.calls),
    });
    const returnedPercent = round2(((after.heapUsed - baseline.heapUsed) / baseline.heapUsed) * 100);
    return {
      name: 'sip-concurrency',
      rows: [
        row('ramp end + 5 s: the last 32 s of calls still hold INVITE transactions (Timer L/M)', settingUp),
        row('established, transactions ended', established),
        {
          phase: 'all calls ended',
          calls: 0,
          completed: outcome.successful,
          failed: outcome.failed,
          'baseline heap MiB': mib(baseline.heapUsed),
          'heap MiB': mib(after.heapUsed),
          'heap vs baseline %': returnedPercent,
          'within 10% of baseline': Math.abs(returnedPercent) <= 10 ? 'yes' : 'no',
        },
      ],
      params: { calls, rampRate: rate, holdMs, drainMs: DRAIN_MS, heap: 'heapUsed after two full GCs in the node', callee: `${CALLEE}@${BENCH_DOMAIN}` },
    };
  } finally {
    await uas.stop();
    await node.stop();
  }
}

interface Sample {
  calls: number;
  memory: NodeJS.MemoryUsage;
  rssKiB: number;
}

async function sample(node: NodeUnderTest, calls: number): Promise<Sample> {
  return { calls, memory: await node.memory(true), rssKiB: node.rssKiB() };
}

function mib(bytes: number): number {
  return round2(bytes / 2 ** 20);
}
