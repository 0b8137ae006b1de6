import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { measure } from '../../bench/alloc-calls.js';
import { sippSkipReason } from '../sip/interop/sipp-runner.js';

test(
  'alloc-calls, tiny: the demo node serves SIPp calls while sampled, and the bytes it allocated per call come back with the sites that allocated them',
  { skip: sippSkipReason(), timeout: 300_000 },
  async () => {
    const result = await measure({ rate: 50, warmupCalls: 50, calls: 100, top: 5 });
    const [row] = result.rows as Array<Record<string, string | number>>;
    assert.equal(row!['build'], 'this');
    assert.equal(row!['calls'], 100);
    assert.equal(row!['failed'], 0);
    const perCall = row!['KiB allocated/call'] as number;
    // A call is six messages parsed, three requests through the SLEE: far more than nothing, far less than a megabyte.
    assert.ok(perCall > 10 && perCall < 1024, `${perCall} KiB per call`);
    const sites = (result.params as { sites: { this: Array<{ site: string; kibPerCall: number }> } }).sites.this;
    assert.equal(sites.length, 5);
    assert.deepEqual(
      sites.map((s) => s.kibPerCall),
      [...sites.map((s) => s.kibPerCall)].sort((a, b) => b - a),
      'largest first',
    );
    assert.ok(sites.reduce((sum, s) => sum + s.kibPerCall, 0) <= perCall + 0.5, 'the top sites are part of the total');
    assert.ok(
      sites.some((s) => /resource-adaptors\/sip\//.test(s.site)),
      `the SIP stack allocates among the most: ${sites.map((s) => s.site).join(', ')}`,
    );
  },
);

test('a baseline outside a checkout is refused: without its examples/ the demo node would serve a cheaper path and pass for a faster build', async () => {
  const lone = mkdtempSync(join(tmpdir(), 'sleet-lone-dist-'));
  try {
    await assert.rejects(measure({ rate: 50, warmupCalls: 1, calls: 1, top: 1, baseline: join(lone, 'dist') }), /not the dist\/ of a checkout/);
  } finally {
    rmSync(lone, { recursive: true, force: true });
  }
});
