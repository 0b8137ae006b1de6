import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { servedInFull } from '../../bench/sip-load/served-in-full.js';
import { stepUp } from '../../bench/sip-load/step-up.js';
import type { SystemStep } from '../../bench/sip-load/system-step.js';

function step(offered: number, admitted: number): SystemStep {
  return {
    system: 'sleet',
    offered,
    calls: offered * 10,
    successful: offered * 10,
    failed: 0,
    admitted,
    achieved: offered,
    elapsedMs: 10_000,
    proxyMsPerCall: 1,
    byProcessMsPerCall: {},
    proxyUserMsPerCall: 0.8,
    proxySystemMsPerCall: 0.2,
    proxySleepsPerCall: 5,
    sippUacMsPerCall: 0.1,
    sippUasMsPerCall: 0.1,
    p50Ms: 0,
    p99Ms: 4,
    failures: {},
  };
}

describe("the overload bench's ceiling: a rate served in full", () => {
  it('counts a call refused with 503 as a call not served', () => {
    assert.equal(servedInFull(step(900, 9_000)).failed, 0);
    assert.equal(servedInFull(step(1_300, 12_990)).failed, 10);
  });

  it('stops the step-up at the first rate at which the node refused a call, as its recovery test does', async () => {
    const admitted: Record<number, number> = { 500: 5_000, 900: 9_000, 1_300: 12_000, 1_800: 13_000 };
    const run = await stepUp([500, 900, 1_300, 1_800], 10, 0, async (rate) => servedInFull(step(rate, admitted[rate]!)));
    assert.equal(run.ceiling, 900);
    assert.equal(run.steps.length, 3);
  });
});
