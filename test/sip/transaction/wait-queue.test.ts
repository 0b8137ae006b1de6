import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { TimerHandle } from '../../../base/clock/clock.js';
import { FakeClock } from '../../../base/clock/fake-clock.js';
import { flush } from './fake-transport.js';
import { answeringLayer, RecordingOwner, UDP_TARGET } from './harness.js';
import { request, response } from './messages.js';

/** Fires each timer up to 1 ms before its deadline, as SystemClock may; refuses to be re-armed without end. */
class EarlyClock extends FakeClock {
  schedules = 0;

  override schedule(delayMs: number, fn: () => void): TimerHandle {
    if (++this.schedules > 1000) throw new Error('re-armed without end');
    return super.schedule(Math.max(0, delayMs - 1), fn);
  }
}

describe('transactions waiting out the same delay share one clock timer', () => {
  it('three thousand Completed REGISTERs (Timer J) hold one timer, and end in the order they began waiting, each at its own deadline', () => {
    const { clock, transport, txs, layer, terminated } = answeringLayer(200);
    for (let i = 0; i < 3000; i++) {
      transport.inject(request({ method: 'REGISTER', branch: `z9hG4bKj${i}` }));
      clock.advance(10);
    }
    assert.equal(txs.length, 3000);
    assert.ok(txs.every((tx) => tx.state === 'Completed'));
    assert.equal(clock.pending, 1, 'one timer for the queue, not one per transaction');
    // Timer J is 64·T1 = 32 s; the first began waiting at 0, the last at 29,990 ms.
    clock.advance(32_000 - 30_000);
    assert.equal(terminated.length, 1, 'the first, at 32 s, and none before its time');
    clock.advance(10 * 1999);
    assert.equal(terminated.length, 2000, 'past the point where the queue drops its consumed front');
    assert.deepEqual(
      terminated.slice(0, 3),
      txs.slice(0, 3).map((tx) => tx.id),
    );
    assert.equal(txs[2000]!.state, 'Completed');
    clock.advance(10 * 1000);
    assert.equal(terminated.length, 3000);
    assert.ok(txs.every((tx) => tx.state === 'Terminated'));
    assert.equal(layer.stats.serverTransactions, 0);
    assert.equal(clock.pending, 0, 'an empty queue holds no timer');
  });

  it('different delays wait apart: Timer K (T4) ends before Timer J (64·T1) though it began later', async () => {
    const { clock, transport, txs, terminated, layer } = answeringLayer(200);
    transport.inject(request({ method: 'OPTIONS', branch: 'z9hG4bKj' }));
    const owner = new RecordingOwner();
    const register = request({ method: 'REGISTER', branch: 'z9hG4bKk' });
    const client = layer.createClientTransaction(register, UDP_TARGET, owner);
    await flush();
    clock.advance(100);
    transport.inject(response(register, 200));
    assert.equal(client.state, 'Completed');
    assert.equal(clock.pending, 2);
    clock.advance(5000);
    assert.equal(client.state, 'Terminated');
    assert.equal(txs[0]!.state, 'Completed');
    clock.advance(27_000);
    assert.equal(txs[0]!.state, 'Terminated');
    assert.deepEqual(terminated, [client.id, txs[0]!.id], 'K first');
    assert.equal(owner.terminated, 1);
  });

  it('one that ends early (the layer closing) is not ended again when its deadline comes, and the others still end on time', () => {
    const { clock, transport, txs, terminated } = answeringLayer(200);
    transport.inject(request({ method: 'REGISTER', branch: 'z9hG4bKa' }));
    transport.inject(request({ method: 'REGISTER', branch: 'z9hG4bKb' }));
    txs[0]!.close();
    assert.equal(txs[0]!.state, 'Terminated');
    assert.equal(txs[0]!.terminationReason, 'closed');
    clock.advance(32_000);
    assert.equal(txs[1]!.state, 'Terminated');
    assert.equal(txs[0]!.terminationReason, 'closed');
    assert.deepEqual(terminated, [txs[0]!.id, txs[1]!.id]);
  });

  it('a clock that fires a little early still ends what its timer was armed for, once, instead of re-arming until the deadline', () => {
    const clock = new EarlyClock();
    const { transport, txs } = answeringLayer(200, clock);
    for (let i = 0; i < 10; i++) {
      transport.inject(request({ method: 'REGISTER', branch: `z9hG4bKe${i}` }));
      clock.advance(5);
    }
    const before = clock.schedules;
    clock.advance(32_000);
    assert.ok(txs.every((tx) => tx.state === 'Terminated'));
    assert.ok(clock.schedules - before <= 10, `one timer per deadline: ${clock.schedules - before}`);
  });
});
