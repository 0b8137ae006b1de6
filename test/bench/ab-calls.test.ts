import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { run } from '../../bench/ab-calls.js';
import { sippSkipReason } from '../sip/interop/sipp-runner.js';

/** This checkout's dist/, which the test runs from: a baseline that is this build. */
const THIS_DIST = fileURLToPath(new URL('../../', import.meta.url));

test(
  'ab-calls --shed=on, tiny: two nodes refusing nearly every call answer each with a 503 or a completed call, and the pair gives a CPU ratio',
  { skip: sippSkipReason(), timeout: 300_000 },
  async () => {
    const result = await run({ flags: { baseline: THIS_DIST, shed: 'on', pairs: '1', rate: '100', seconds: '2' } });
    const [pair, median] = result.rows as Array<Record<string, string | number>>;
    assert.deepEqual([pair!['this failed'], pair!['baseline failed']], [0, 0], 'a 503 is an answer: nothing failed');
    assert.ok((pair!['this ms/call'] as number) > 0 && (pair!['baseline ms/call'] as number) > 0);
    assert.equal(median!['this/baseline'], pair!['this/baseline']);
    assert.equal((result.params as { scenario: string }).scenario, 'uac-call-or-503.xml');
  },
);

test(
  'ab-calls --register-rate, tiny: other users register on both nodes while the calls run, and each side counts its profile lookups that went to the database',
  { skip: sippSkipReason(), timeout: 300_000 },
  async () => {
    const result = await run({ flags: { baseline: THIS_DIST, 'register-rate': '50', pairs: '1', rate: '100', seconds: '2' } });
    const [pair] = result.rows as Array<Record<string, string | number>>;
    assert.deepEqual([pair!['this failed'], pair!['baseline failed'], pair!['REGISTERs failed']], [0, 0, 0]);
    // Each REGISTER of a user not seen before reads its subscriber and its bindings from the database.
    for (const side of ['this', 'baseline']) assert.ok((pair![`${side} store reads/call`] as number) > 0, `${side}: ${pair![`${side} store reads/call`]}`);
    assert.equal((result.params as { registerRate: number }).registerRate, 50);
  },
);

test(
  'ab-calls --workers=2, tiny: both builds run as sleet start --workers=2 and the pair counts the CPU of every worker',
  { skip: sippSkipReason(), timeout: 300_000 },
  async () => {
    const result = await run({ flags: { baseline: THIS_DIST, workers: '2', pairs: '1', rate: '100', seconds: '2' } });
    const [pair] = result.rows as Array<Record<string, string | number>>;
    assert.deepEqual([pair!['this failed'], pair!['baseline failed']], [0, 0]);
    const { workers, processes } = result.params as { workers: number; processes: Record<'this' | 'baseline', string[]> };
    assert.equal(workers, 2);
    for (const side of ['this', 'baseline'] as const) {
      assert.deepEqual([...processes[side]].sort(), [side, `${side} worker`, `${side} worker`], `${side}: ${processes[side].join(', ')}`);
    }
  },
);
