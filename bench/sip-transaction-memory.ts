import type { BenchResult } from './bench-result.js';
import { LAYER_CASES, measureLayerCase } from './txn-memory/layer-transactions.js';
import { measureRaCase } from './txn-memory/proxied-calls.js';

/**
 * What a SIP transaction holds for the 64·T1 = 32 s after its final
 * response on UDP (RFC 3261 §17, RFC 6026): heap per transaction left in its
 * wait state, for each machine through the transaction layer alone, then
 * per request through the SIP RA with a proxying SBB over loopback UDP
 * (server and client transaction, proxy context, RA activity).
 */
export async function run(options: { quick?: boolean } = {}): Promise<BenchResult> {
  const layerCount = options.quick ? 5_000 : 20_000;
  const raCount = options.quick ? 5_000 : 20_000;
  const rows: Array<Record<string, string | number>> = [];
  for (const c of LAYER_CASES) rows.push(await measureLayerCase(c, layerCount));
  rows.push(await measureRaCase('INVITE', raCount));
  rows.push(await measureRaCase('REGISTER', raCount));
  return {
    name: 'sip-transaction-memory',
    rows,
    params: {
      layerTransactions: layerCount,
      raRequests: raCount,
      heap: 'heapUsed after two full GCs, over the baseline before the run, per transaction (per request for the SIP RA rows)',
      offHeap: 'process.memoryUsage().external (Buffer contents), same way',
      snapshots: process.env['SLEET_HEAP_SNAPSHOT_DIR'] ?? 'set SLEET_HEAP_SNAPSHOT_DIR to write heap snapshots; compare with dist/bench/heap-diff.js',
    },
  };
}
