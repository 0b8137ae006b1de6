import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { vsKamailioOptions } from '../../bench/sip-load/vs-kamailio-options.js';
import type { SystemStep } from '../../bench/sip-load/system-step.js';
import { compare } from '../../bench/vs-kamailio.js';
import { writeResult } from '../../bench/write-result.js';
import { kamailioSkipReason } from './kamailio-skip-reason.js';

test('vs-kamailio options: defaults, --quick, overrides, and refusals', () => {
  const full = vsKamailioOptions(false, {});
  assert.deepEqual(full.rates, [100, 500, 900]);
  // A ceiling is read as the last step kept up with, so the ladder's spacing bounds how far below the true one it may be.
  const ladder = full.ceilingRates;
  assert.ok(ladder[0]! <= 500 && ladder.at(-1)! >= 7000, `the ladder spans 500 to 7,000 cps: ${ladder}`);
  for (let i = 1; i < ladder.length; i++) {
    assert.ok(ladder[i]! > ladder[i - 1]!, `the ladder rises: ${ladder}`);
    if (ladder[i - 1]! >= 900) assert.ok(ladder[i]! <= ladder[i - 1]! * 1.2, `from 900 cps no step is more than 20% above the one before: ${ladder}`);
  }
  assert.equal(vsKamailioOptions(true, {}).seconds, 5);
  const set = vsKamailioOptions(false, { rates: '10,20', seconds: '1.5', 'ceiling-rates': 'none', cores: '2' });
  assert.deepEqual([set.rates, set.seconds, set.ceilingRates, set.cores], [[10, 20], 1.5, [], 2]);
  assert.throws(() => vsKamailioOptions(false, { rates: '10,x' }), /positive integers/);
  assert.throws(() => vsKamailioOptions(false, { speed: '1' }), /unknown option --speed/);
});

test(
  'vs-kamailio harness, tiny: Kamailio and the Sleet demo node both serve SIPp calls, one table row per rate plus the ceilings, and a JSON file',
  { skip: kamailioSkipReason(), timeout: 600_000 },
  async () => {
    const result = await compare({ rates: [20], seconds: 1, ceilingRates: [20, 40], ceilingSeconds: 1, warmupSeconds: 1, settleMs: 200, cores: 1 });
    assert.equal(result.rows.length, 2);
    const [step, ceiling] = result.rows as [Record<string, string | number>, Record<string, string | number>];
    assert.equal(step['step'], '20 cps');
    for (const column of ['Kamailio CPU ms/call', 'Sleet CPU ms/call', 'Sleet/Kamailio', 'Kamailio failed', 'Sleet failed']) {
      assert.equal(typeof step[column], 'number', column);
      assert.ok((step[column] as number) >= 0, column);
    }
    // Each proxy relayed calls to its registered callee: the record-routed ACK and BYE came back through each.
    assert.ok((step['Kamailio calls/s'] as number) > 0);
    assert.ok((step['Sleet calls/s'] as number) > 0);
    // On one core the Node.js floor ran the same steps, and its ratios are read from its own CPU per call.
    assert.ok((step['Floor calls/s'] as number) > 0);
    assert.equal(step['Floor failed'], 0);
    const floorMs = step['Floor CPU ms/call'] as number;
    assert.ok(floorMs > 0);
    assert.equal(step['Floor/Kamailio'], Math.round((floorMs / (step['Kamailio CPU ms/call'] as number)) * 100) / 100);
    assert.equal(step['Sleet/Floor'], Math.round(((step['Sleet CPU ms/call'] as number) / floorMs) * 100) / 100);
    assert.equal(typeof ceiling['Sleet/Floor'], 'number');
    // So did the SIP stack alone (its standalone proxy example, no SLEE): what the stack costs, and what the SLEE adds.
    assert.ok((step['Stack calls/s'] as number) > 0);
    assert.equal(step['Stack failed'], 0);
    const stackMs = step['Stack CPU ms/call'] as number;
    assert.ok(stackMs > 0);
    assert.equal(step['Stack/Kamailio'], Math.round((stackMs / (step['Kamailio CPU ms/call'] as number)) * 100) / 100);
    assert.equal(step['Sleet/Stack'], Math.round(((step['Sleet CPU ms/call'] as number) / stackMs) * 100) / 100);
    assert.equal(typeof ceiling['Sleet/Stack'], 'number');
    assert.match(String(step['SIPp uac ms/call K/S']), /^[\d.]+ \/ [\d.]+$/);
    assert.match(String(step['user+sys ms K/S']), /^[\d.]+\+[\d.]+ \/ [\d.]+\+[\d.]+$/);
    assert.match(String(ceiling['step']), /^ceiling, 0 failed \(offered \d+ \/ \d+\)$/);
    // The reference served without errors of its own: its failures would otherwise pass for its figures.
    assert.deepEqual((result.params as { kamailio: { firstErrors: string[] } }).kamailio.firstErrors, []);

    const dir = mkdtempSync(join(tmpdir(), 'sleet-vs-kamailio-'));
    try {
      const file = writeResult(dir, result, { cores: 2 });
      const json = JSON.parse(readFileSync(file, 'utf8')) as {
        name: string;
        rows: unknown[];
        params: { steps: Array<{ kamailio: SystemStep; sleet: SystemStep; floor?: SystemStep; stack?: SystemStep }> };
      };
      assert.equal(json.name, 'vs-kamailio');
      assert.deepEqual(json.rows, result.rows);
      // Every process is accounted for: Kamailio's attendant and the workers it forked, and the Sleet node.
      const [pair] = json.params.steps;
      assert.ok(Object.keys(pair!.kamailio.byProcessMsPerCall).length > 1);
      assert.ok(Object.keys(pair!.sleet.byProcessMsPerCall).length >= 1);
      assert.deepEqual(Object.keys(pair!.floor!.byProcessMsPerCall).length, 1);
      assert.deepEqual(Object.keys(pair!.stack!.byProcessMsPerCall).length, 1);
      // The CPU per call is its user and system parts, and each proxy slept between the calls' datagrams.
      for (const side of [pair!.kamailio, pair!.sleet]) {
        assert.ok(Math.abs(side.proxyUserMsPerCall + side.proxySystemMsPerCall - side.proxyMsPerCall) <= 0.002, side.system);
        assert.ok(side.proxySleepsPerCall > 0, side.system);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'vs-kamailio harness, tiny, --cores=2: Sleet runs as two workers and both serve the calls, counted in its CPU per call',
  { skip: kamailioSkipReason(), timeout: 600_000 },
  async () => {
    const result = await compare({ rates: [20], seconds: 2, ceilingRates: [], ceilingSeconds: 1, warmupSeconds: 1, settleMs: 200, cores: 2 });
    const [step] = result.rows as [Record<string, string | number>];
    assert.equal(step['Sleet failed'], 0);
    assert.ok((step['Sleet calls/s'] as number) > 0);
    const steps = (result.params as { steps: Array<{ sleet: { byProcessMsPerCall: Record<string, number> } }> }).steps;
    // The primary and its two workers.
    assert.equal(Object.keys(steps[0]!.sleet.byProcessMsPerCall).length, 3);
    // The floor is one event loop, so it is not measured against two cores.
    assert.equal(step['Floor CPU ms/call'], undefined);
    assert.equal(step['Stack CPU ms/call'], undefined);
    assert.deepEqual((result.params as { sleet: { cores: number } }).sleet.cores, 2);
  },
);
