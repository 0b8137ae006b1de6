import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import { SbbContext } from '../../slee/entity/sbb-context.js';
import { TimerFacility } from '../../slee/facilities/timer/timer-facility.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { FakeClock } from '../../base/clock/fake-clock.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { PingEvent, PongEvent, deploy, startCoreFixture, type Ping } from '../helpers/core-fixture.js';

const seen: string[] = [];

@Service()
@Sbb()
class LedgerSbb {
  @Cmp() balance = 0;
  @Cmp() history: string[] = [];

  constructor(
    private readonly ctx: SbbContext,
    private readonly timers: TimerFacility,
  ) {}

  @InitialEvent({ select: ['Address'] })
  async onPing(event: Ping, aci: ActivityContextInterface) {
    seen.push(`ping${event.n}:balance=${this.balance}:attr=${aci.get('owner') ?? '-'}:history=${this.history.join('|')}`);
    this.balance = this.balance + 10;
    this.history = [...this.history, `n${event.n}`];
    aci.set('owner', `n${event.n}`);
    this.ctx.fireEvent(PongEvent, { n: event.n }, aci);
    this.timers.setTimer(aci, { delay: 1000 });
    if (event.delayMs) await sleep(event.delayMs);
    if (event.fail) throw new Error(`refused ${event.n}`);
  }

  onPong(event: Ping) {
    seen.push(`pong${event.n}`);
  }

  onTimer() {
    seen.push('timer');
  }

  sbbExceptionThrown(error: Error, event: Ping) {
    seen.push(`exceptionThrown:${error.message}:n${event.n}:balance=${this.balance}`);
  }

  sbbRolledBack(context: { event: Ping }) {
    seen.push(`rolledBack:n${context.event.n}:balance=${this.balance}`);
  }
}

test('rollback restores CMP fields and ACI attributes and drops fired events and timers', async () => {
  seen.length = 0;
  const clock = new FakeClock(1_000_000);
  const { slee, ra, close } = await startCoreFixture({ clock });
  deploy(slee, LedgerSbb);
  const activity = ra.startActivity();
  assert.equal(await ra.fire(activity, PingEvent, { n: 1 }, 'acct-1'), false);
  await slee.idle();
  assert.deepEqual(seen, ['ping1:balance=0:attr=-:history=', 'pong1']);
  clock.advance(1000);
  await slee.idle();
  assert.equal(seen.at(-1), 'timer', 'the committed timer fires');

  seen.length = 0;
  assert.equal(await ra.fire(activity, PingEvent, { n: 2, fail: true, delayMs: 2 }, 'acct-1'), true, 'reported as failed');
  await slee.idle();
  clock.advance(5000);
  await slee.idle();
  assert.deepEqual(
    seen,
    ['ping2:balance=10:attr=n1:history=n1', 'exceptionThrown:refused 2:n2:balance=20', 'rolledBack:n2:balance=10'],
    'no pong and no timer from the rolled-back transaction; sbbRolledBack sees the restored state',
  );

  seen.length = 0;
  await ra.fire(activity, PingEvent, { n: 3 }, 'acct-1');
  assert.equal(seen[0], 'ping3:balance=10:attr=n1:history=n1', 'CMP and ACI attribute are as the last commit left them');
  await close();
});

test('a failing handler raises an alarm and the SLEE goes on serving', async () => {
  seen.length = 0;
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, LedgerSbb);
  await ra.fire(ra.startActivity(), PingEvent, { n: 7, fail: true }, 'acct-2');
  const alarms = slee.kernel.alarms.list();
  assert.equal(alarms.length, 1);
  assert.equal(alarms[0]!.type, 'sleet.sbb.event-handler-failed');
  assert.equal(alarms[0]!.level, 'MAJOR');
  assert.match(alarms[0]!.message, /LedgerSbb\.onPing threw handling test\.Ping: refused 7/);
  assert.match(alarms[0]!.source, /LedgerService.*LedgerSbb/);
  assert.equal(slee.kernel.stats.handlerFailures, 1);
  assert.equal(slee.kernel.entities.size, 0, 'the root created by the failed initial event was rolled back too');
  assert.equal(await ra.fire(ra.startActivity(), PingEvent, { n: 8 }, 'acct-2'), false);
  assert.ok(seen.includes('ping8:balance=0:attr=-:history='));
  await close();
});

const inFlight = { now: 0, max: 0 };

@Service()
@Sbb()
class CounterSbb {
  @Cmp() count = 0;

  @InitialEvent({ select: ['Address'] })
  async onPing(event: Ping) {
    inFlight.now++;
    inFlight.max = Math.max(inFlight.max, inFlight.now);
    const before = this.count;
    await sleep(event.delayMs ?? 0);
    this.count = before + 1;
    inFlight.now--;
  }

  onPong(event: Ping) {
    seen.push(`count:${this.count}:${event.n}`);
  }
}

test('concurrent events on one entity tree are serialised, with no lost update', async () => {
  seen.length = 0;
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, CounterSbb);
  const activities = Array.from({ length: 120 }, () => ra.startActivity());
  await Promise.all(activities.map((a, i) => ra.fire(a, PingEvent, { n: i, delayMs: i % 3 }, 'shared')));
  assert.equal(inFlight.max, 1, 'never two handlers of one tree at once');
  await ra.fire(activities[0]!, PongEvent, { n: 0 });
  assert.deepEqual(seen, ['count:120:0']);
  await close();
});

@Service()
@Sbb()
class VetoSbb {
  @Cmp() value = 'initial';

  constructor(private readonly ctx: SbbContext) {}

  @InitialEvent()
  onPing(event: Ping) {
    seen.push(`value=${this.value}`);
    this.value = `set-by-${event.n}`;
    if (event.fail) this.ctx.setRollbackOnly();
  }
}

test('setRollbackOnly discards the transaction without an exception', async () => {
  seen.length = 0;
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, VetoSbb);
  const activity = ra.startActivity();
  assert.equal(await ra.fire(activity, PingEvent, { n: 1, fail: true }), true);
  await ra.fire(activity, PingEvent, { n: 2 });
  await ra.fire(activity, PingEvent, { n: 3 });
  assert.deepEqual(seen, ['value=initial', 'value=initial', 'value=set-by-2']);
  await close();
});

@Service()
@Sbb()
class MutatingSbb {
  @Cmp() list: string[] = [];

  @InitialEvent()
  onPing() {
    this.list.push('in place');
  }
}

test('committed CMP values are frozen: changing them in place fails instead of escaping the transaction', async () => {
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, MutatingSbb);
  assert.equal(await ra.fire(ra.startActivity(), PingEvent, { n: 1 }), true);
  assert.match(slee.kernel.alarms.list()[0]!.message, /not extensible|read.only|Cannot add property/);
  await close();
});

@Service()
@Sbb()
class BadValueSbb {
  @Cmp() value: unknown = null;

  @InitialEvent()
  onPing() {
    this.value = new Map();
  }
}

test('a CMP field refuses a value that is not serialisable, naming the field', async () => {
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, BadValueSbb);
  await ra.fire(ra.startActivity(), PingEvent, { n: 1 });
  const alarm = slee.kernel.alarms.list()[0]!;
  assert.match(alarm.message, /BadValueSbb\.value: a Map is not serialisable/);
  assert.ok(SleetError.is(new SleetError(ErrorCode.NOT_SERIALISABLE, 'x'), ErrorCode.NOT_SERIALISABLE));
  await close();
});
