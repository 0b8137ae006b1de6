import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IsolationLocks } from '../../slee/transaction/isolation-locks.js';
import { turns } from '../helpers/turns.js';

test('isolation locks are taken in sorted order and handed to the next waiter on release', async () => {
  const locks = new IsolationLocks();
  const a = {};
  const b = {};
  assert.equal(locks.acquireAll(['k2', 'k1'], a), undefined, 'free keys are taken at once');
  assert.equal(locks.acquireAll(['k1'], a), undefined, 'an owner may ask again for what it holds');
  let bHolds = false;
  void locks.acquireAll(['k3', 'k2'], b)!.then(() => (bHolds = true));
  await turns(2);
  assert.equal(locks.holderOf('k2'), a);
  assert.equal(locks.holderOf('k3'), undefined, 'k3 is not taken while k2, below it, is waited for');
  locks.releaseAll(['k1', 'k2'], a);
  await turns(2);
  assert.ok(bHolds);
  assert.equal(locks.holderOf('k2'), b, 'handed over, not left for anyone to grab');
  assert.equal(locks.holderOf('k1'), undefined);
  locks.releaseAll(['k2', 'k3'], a);
  assert.equal(locks.holderOf('k3'), b, 'an owner cannot release what another holds');
  locks.releaseAll(['k2', 'k3'], b);
  assert.equal(locks.size, 0);
});
