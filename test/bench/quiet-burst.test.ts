import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from '../../bench/quiet-burst.js';
import { missingNodeFlags } from '../../server/cli/missing-node-flags.js';
import { sippSkipReason } from '../sip/interop/sipp-runner.js';
import { kamailioSkipReason } from './kamailio-skip-reason.js';

test(
  'quiet-burst, tiny: a node as the sleet command starts it and one with the memory reducer on each serve a burst after a pause',
  { skip: sippSkipReason(), timeout: 300_000 },
  async () => {
    const result = await run({ quick: true });
    const trials = result.params['trials'] as Array<{
      variant: string;
      nodeFlags: string[];
      burst: { calls: number; successful: number };
      lateInvites: number;
    }>;
    assert.deepEqual(
      trials.map((t) => [t.variant, missingNodeFlags(t.nodeFlags)]),
      [
        ['sleet (--no-memory-reducer)', []],
        ['memory reducer on', ['--no-memory-reducer']],
      ],
    );
    for (const trial of trials) {
      assert.equal(trial.burst.successful, trial.burst.calls, trial.variant);
      assert.ok(Number.isInteger(trial.lateInvites) && trial.lateInvites >= 0, `${trial.variant}: ${trial.lateInvites}`);
    }
    assert.deepEqual(
      result.rows.map((row) => [row['variant'], row['trial']]),
      [
        ['sleet (--no-memory-reducer)', 1],
        ['memory reducer on', 1],
        ['sleet (--no-memory-reducer)', 'median'],
        ['memory reducer on', 'median'],
      ],
    );
  },
);

test(
  'quiet-burst, tiny, --variants=sleet: only nodes as the sleet command starts them, and an unknown variant is refused by name',
  { skip: sippSkipReason(), timeout: 300_000 },
  async () => {
    await assert.rejects(run({ quick: true, flags: { variants: 'sleet,fast' } }), /unknown variant fast: sleet, reducer, kamailio/);
    const result = await run({ quick: true, flags: { variants: 'sleet', pairs: '2' } });
    const trials = result.params['trials'] as Array<{ variant: string; nodeFlags: string[] }>;
    assert.deepEqual(
      trials.map((t) => [t.variant, missingNodeFlags(t.nodeFlags)]),
      [
        ['sleet (--no-memory-reducer)', []],
        ['sleet (--no-memory-reducer)', []],
      ],
    );
    assert.deepEqual(
      result.rows.map((row) => [row['variant'], row['trial']]),
      [
        ['sleet (--no-memory-reducer)', 1],
        ['sleet (--no-memory-reducer)', 2],
        ['sleet (--no-memory-reducer)', 'median'],
      ],
    );
  },
);

test(
  'quiet-burst, tiny, --variants=kamailio,sleet --warmup=2: the reference goes through the same warm-up, pause and burst, and the warm-up lasts as asked',
  { skip: kamailioSkipReason(), timeout: 300_000 },
  async () => {
    const result = await run({ quick: true, flags: { variants: 'kamailio,sleet', warmup: '2' } });
    const trials = result.params['trials'] as Array<{
      variant: string;
      nodeFlags: string[];
      warmupCalls: number;
      burst: { calls: number; successful: number };
      lateInvites: number | null;
    }>;
    assert.deepEqual(
      trials.map((t) => [t.variant, t.nodeFlags.length > 0, t.warmupCalls, t.lateInvites === null]),
      [
        ['kamailio (the reference)', false, 200, true],
        ['sleet (--no-memory-reducer)', true, 200, false],
      ],
    );
    for (const trial of trials) assert.equal(trial.burst.successful, trial.burst.calls, trial.variant);
    assert.deepEqual(
      result.rows.map((row) => [row['variant'], row['trial'], row['INVITEs answered after 50 ms'] === '—']),
      [
        ['kamailio (the reference)', 1, true],
        ['sleet (--no-memory-reducer)', 1, false],
        ['kamailio (the reference)', 'median', true],
        ['sleet (--no-memory-reducer)', 'median', false],
      ],
    );
  },
);
