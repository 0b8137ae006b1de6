import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measure } from '../../bench/waiting-calls.js';
import { sippSkipReason } from '../sip/interop/sipp-runner.js';

test(
  'waiting-calls, tiny: the heap the demo node keeps per call while it waits out Timers J, L and M, and the full collections timed with and without it',
  { skip: sippSkipReason(), timeout: 300_000 },
  async () => {
    const result = await measure({ rate: 100, warmupCalls: 50, calls: 400, drainMs: 1000, collections: 3 });
    const [row] = result.rows as Array<Record<string, string | number>>;
    assert.equal(row!['build'], 'this');
    assert.equal(row!['calls'], 400);
    assert.equal(row!['failed'], 0);
    const perCall = row!['heap bytes/waiting call'] as number;
    // Four transactions wait per call (the INVITE's two, the BYE's two): more than nothing, far less than the 10 KB a call may keep.
    assert.ok(perCall > 200 && perCall < 10_000, `${perCall} heap bytes per waiting call`);
    assert.ok((row!['heap MiB, idle'] as number) > 0, 'the idle heap was read');
    assert.ok((row!['full GC ms, idle'] as number) > 0, 'the collections were timed');
    assert.ok((row!['full GC ms, calls waiting'] as number) > 0);
  },
);
