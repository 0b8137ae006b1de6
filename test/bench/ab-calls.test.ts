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
