import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Transaction } from '../../slee/transaction/transaction.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { startCoreFixture } from '../helpers/core-fixture.js';

/**
 * A transaction whose durable participant (a profile database) commits
 * before the in-memory commit: what it read of an ACI must not change in
 * that gap, or the database would hold a write whose transaction then loses
 * its commit check and rolls back.
 */
test('a transaction that commits durably holds the ACI attributes it read until its in-memory commit', async (t) => {
  const f = await startCoreFixture();
  t.after(() => f.close());
  const kernel = f.slee.kernel;
  const ac = kernel.activityOf(f.ra.startActivity());

  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let durableCommits = 0;
  const first = new Transaction();
  kernel.writeAttribute(first, ac, 'count', ((kernel.readAttribute(first, ac, 'count') as number | undefined) ?? 0) + 1);
  first.enlist({
    commitDurably: async () => {
      await gate;
      durableCommits++;
    },
    commit: () => undefined,
    rollback: () => undefined,
  });
  const committing = first.commit();

  await new Promise((resolve) => setImmediate(resolve));
  const second = new Transaction();
  kernel.writeAttribute(second, ac, 'count', ((kernel.readAttribute(second, ac, 'count') as number | undefined) ?? 0) + 1);
  assert.throws(
    () => second.commit(),
    (err) => SleetError.is(err, ErrorCode.TRANSACTION_CONFLICT),
    'a commit on what the durably committing transaction read conflicts',
  );

  open();
  await committing;
  assert.equal(durableCommits, 1);
  assert.equal(kernel.readAttribute(null, ac, 'count'), 1, 'the durably committed transaction applied its write');

  const third = new Transaction();
  kernel.writeAttribute(third, ac, 'count', (kernel.readAttribute(third, ac, 'count') as number) + 1);
  assert.equal(third.commit(), undefined, 'with no durable participant the commit is synchronous');
  assert.equal(kernel.readAttribute(null, ac, 'count'), 2, 'the hold is released after the commit');
});
