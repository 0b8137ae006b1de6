import type { BenchResult } from './bench-result.js';
import { round2, settle } from './sip-load/load-step.js';
import { BENCH_DOMAIN, NodeUnderTest } from './sip-load/node-under-test.js';
import { runSipp, SippServer, sippAvailable, startSipp } from './sip-load/sipp.js';
import { skippedWithoutSipp } from './sip-load/skipped.js';

const CALLEE = 'user000001';
/** Longer than a non-INVITE server transaction's Timer J (64·T1 = 32 s), so the BYEs' transactions are gone too. */
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
  const holdMs = rampMs + 20_000;
  const node = await NodeUnderTest.start({ trusted: true, users: 10 });
  const uas = await SippServer.start('uas-call.xml');
  const target = `127.0.0.1:${node.sipPort}`;
  try {
    const registered = await runSipp({
      scenario: 'register-contact.xml', target, rate: 1, calls: 1, service: CALLEE, timeoutMs: 10_000,
      keys: { domain: BENCH_DOMAIN, contact_host: '127.0.0.1', contact_port: String(uas.port) },
    });
    if (registered.successful !== 1) throw new Error('the SIPp callee could not register');
    const callRun = (count: number, pauseMs: number) => ({
      scenario: 'uac-call.xml', target, rate, calls: count, limit: count, service: CALLEE, pauseMs,
      keys: { domain: BENCH_DOMAIN }, timeoutMs: pauseMs + 120_000 + (count / rate) * 1000,
    });
    await runSipp(callRun(1000, 0)); // warm-up: compiled code and caches belong to the baseline
    await settle(DRAIN_MS);
    const baseline = await node.memory(true);
    const baselineRss = node.rssKiB();
    const handle = await startSipp(callRun(calls, holdMs));
    await settle(rampMs + 10_000);
    const established = handle.currentCalls();
    const held = await node.memory(true);
    const heldRss = node.rssKiB();
    const outcome = await handle.finished;
    await settle(DRAIN_MS);
    const after = await node.memory(true);
    const perCall = (bytes: number) => Math.round(bytes / Math.max(1, established));
    const returnedPercent = round2(((after.heapUsed - baseline.heapUsed) / baseline.heapUsed) * 100);
    return {
      name: 'sip-concurrency',
      rows: [
        {
          'calls established': established,
          'completed': outcome.successful,
          failed: outcome.failed,
          'baseline heap MiB': mib(baseline.heapUsed),
          'held heap MiB': mib(held.heapUsed),
          'heap bytes/call': perCall(held.heapUsed - baseline.heapUsed),
          'RSS bytes/call': perCall((heldRss - baselineRss) * 1024),
          'heap after MiB': mib(after.heapUsed),
          'heap after vs baseline %': returnedPercent,
          'returned within 10%': Math.abs(returnedPercent) <= 10 ? 'yes' : 'no',
        },
      ],
      params: { calls, rampRate: rate, holdMs, drainMs: DRAIN_MS, heap: 'heapUsed after two full GCs in the node', callee: `${CALLEE}@${BENCH_DOMAIN}` },
    };
  } finally {
    await uas.stop();
    await node.stop();
  }
}

function mib(bytes: number): number {
  return round2(bytes / 2 ** 20);
}
