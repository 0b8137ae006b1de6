import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { ActivityContextNamingFacility } from '../../slee/facilities/naming/activity-context-naming-facility.js';
import { NullActivityFactory } from '../../slee/facilities/null-activity/null-activity-factory.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { PingEvent, deploy, startCoreFixture, type Ping } from '../helpers/core-fixture.js';
import { turns } from '../helpers/turns.js';

const ROOM = 'isolation-counter';

/** Event 0 creates a null activity named ROOM; every other event increments its `count` attribute across an await. */
@Service()
@Sbb()
class RoomCounterSbb {
  constructor(
    private readonly naming: ActivityContextNamingFacility,
    private readonly nulls: NullActivityFactory,
  ) {}

  @InitialEvent({ select: ['ActivityContext'] })
  async onPing(event: Ping) {
    if (event.n === 0) {
      const room = this.nulls.createNullActivity();
      this.naming.bind(this.nulls.getActivityContextInterface(room), ROOM);
      return;
    }
    const room = this.naming.lookup(ROOM)!;
    const count = room.get<number>('count') ?? 0;
    await turns(event.delayMs ?? 1);
    room.set('count', count + 1);
  }
}

async function countConcurrently(increments: number, delay: (i: number) => number) {
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, RoomCounterSbb);
  assert.equal(await ra.fire(ra.startActivity(), PingEvent, { n: 0 }), false);
  const trees = Array.from({ length: increments }, () => ra.startActivity());
  const failed = await Promise.all(trees.map((a, i) => ra.fire(a, PingEvent, { n: i + 1, delayMs: delay(i) })));
  const first = slee.kernel.names.get(ROOM)?.attributes.get('count');
  // Again on the same activities: now each event goes to the root its first one created.
  failed.push(...(await Promise.all(trees.map((a, i) => ra.fire(a, PingEvent, { n: i + 1, delayMs: delay(i + 1) })))));
  const count = slee.kernel.names.get(ROOM)?.attributes.get('count');
  const alarms = slee.kernel.alarms.list().map((a) => a.message);
  const retries = slee.kernel.stats.transactionRetries;
  await close();
  return { failed, first, count, alarms, retries };
}

test('four concurrent async read-modify-writes of one shared ACI attribute, on four trees, end at 4', async () => {
  const { failed, first, count, alarms, retries } = await countConcurrently(4, () => 1);
  assert.deepEqual(alarms, [], 'no handler fails: a conflicting transaction is retried, not reported');
  assert.ok(retries >= 3, `the losers were retried (${retries} retries counted)`);
  assert.deepEqual(failed, Array(8).fill(false));
  assert.equal(first, 4, 'no increment is lost');
  assert.equal(count, 8, 'nor when the four roots exist already');
});

test('N concurrent increments of one ACI attribute end at N, whatever the interleaving (24 trees, twice)', async () => {
  const { failed, first, count, alarms } = await countConcurrently(24, (i) => (i * 7) % 4);
  assert.deepEqual(alarms, []);
  assert.ok(failed.every((f) => !f));
  assert.equal(first, 24);
  assert.equal(count, 48);
});

const CLAIMED = 'isolation-claimed';
const claims = new Map<number, string>();

/** Binds CLAIMED to its own activity, then awaits before committing; a refused bind is recorded, not thrown. */
@Service()
@Sbb()
class NameClaimSbb {
  constructor(private readonly naming: ActivityContextNamingFacility) {}

  @InitialEvent({ select: ['ActivityContext'] })
  async onPing(event: Ping, aci: ActivityContextInterface) {
    try {
      this.naming.bind(aci, CLAIMED);
      claims.set(event.n, 'bound');
    } catch (err) {
      if (!SleetError.is(err, ErrorCode.NAME_ALREADY_BOUND)) throw err;
      claims.set(event.n, 'refused');
      return;
    }
    await turns(event.delayMs ?? 1);
  }
}

test('two concurrent transactions binding one name: one gets NameAlreadyBound, and the loser ending does not unbind the winner', async () => {
  claims.clear();
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, NameClaimSbb);
  const first = ra.startActivity();
  const second = ra.startActivity();
  const failed = await Promise.all([ra.fire(first, PingEvent, { n: 1, delayMs: 1 }), ra.fire(second, PingEvent, { n: 2, delayMs: 2 })]);
  assert.deepEqual(failed, [false, false]);
  assert.deepEqual([...claims.values()].sort(), ['bound', 'refused'], 'exactly one transaction binds the name');
  const winner = claims.get(1) === 'bound' ? first : second;
  const loser = winner === first ? second : first;
  assert.equal(slee.kernel.names.get(CLAIMED)?.handle, winner.handle, 'the name is bound to the winner');
  ra.endActivity(loser);
  await slee.idle();
  assert.equal(slee.kernel.names.get(CLAIMED)?.handle, winner.handle, "the loser's end leaves the winner's binding alone");
  ra.endActivity(winner);
  await slee.idle();
  assert.equal(slee.kernel.names.has(CLAIMED), false, "the winner's end unbinds it");
  await close();
});

const gates = new Map<number, () => void>();
let victimAttempts = 0;

/**
 * Event 1 (the victim) reads room-k on its k-th attempt and waits for the
 * test; events 100+k write room-k meanwhile, so every attempt conflicts.
 */
@Service()
@Sbb()
class ContendedSbb {
  constructor(
    private readonly naming: ActivityContextNamingFacility,
    private readonly nulls: NullActivityFactory,
  ) {}

  @InitialEvent({ select: ['ActivityContext'] })
  async onPing(event: Ping) {
    if (event.n === 0) {
      for (let k = 1; k <= 4; k++) this.naming.bind(this.nulls.getActivityContextInterface(this.nulls.createNullActivity()), `room-${k}`);
    } else if (event.n === 1) {
      const attempt = ++victimAttempts;
      const room = this.naming.lookup(`room-${attempt}`)!;
      room.set('victim', (room.get<number>('writer') ?? 0) + 1);
      await new Promise<void>((resolve) => gates.set(attempt, resolve));
    } else {
      this.naming.lookup(`room-${event.n - 100}`)!.set('writer', event.n);
    }
  }
}

test('a transaction that keeps conflicting is retried up to the bound, then rolled back with SLEET_ERR_TRANSACTION_CONFLICT', async () => {
  gates.clear();
  victimAttempts = 0;
  const { slee, ra, close } = await startCoreFixture({ transactionAttempts: 3 });
  deploy(slee, ContendedSbb);
  await ra.fire(ra.startActivity(), PingEvent, { n: 0 });
  let victimFailed: boolean | undefined;
  void ra.fire(ra.startActivity(), PingEvent, { n: 1 }).then((f) => (victimFailed = f));
  for (let k = 1; k <= 3; k++) {
    for (let i = 0; i < 20 && !gates.has(k); i++) await turns(1);
    assert.ok(gates.has(k), `attempt ${k} of the conflicting transaction ran`);
    assert.equal(await ra.fire(ra.startActivity(), PingEvent, { n: 100 + k }), false, `writer ${k} commits`);
    gates.get(k)!();
    await turns(3);
  }
  await slee.idle();
  assert.equal(victimFailed, true, 'the delivery reports the failure');
  assert.equal(victimAttempts, 3, 'no attempt beyond the bound');
  const alarm = slee.kernel.alarms.list().find((a) => a.type === 'sleet.sbb.event-handler-failed');
  assert.match(alarm?.message ?? '', /SLEET_ERR_TRANSACTION_CONFLICT/);
  for (let k = 1; k <= 3; k++) assert.equal(slee.kernel.names.get(`room-${k}`)?.attributes.get('victim'), undefined, `room-${k} keeps no write of the victim`);
  await close();
});
