import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import { FakeClock } from '../../base/clock/fake-clock.js';
import { PingEvent, deploy, startCoreFixture, type Ping } from '../helpers/core-fixture.js';
import { turns } from '../helpers/turns.js';

const seen: string[] = [];

/** Its handler fails on request; its sbbRolledBack writes CMP and then fails too (asynchronously when the event has a delay). */
@Service()
@Sbb()
class StubbornSbb {
  @Cmp() note = 'initial';

  @InitialEvent({ select: ['Address'] })
  onPing(event: Ping) {
    seen.push(`n${event.n}:${this.note}`);
    if (event.fail) throw new Error(`handler refused ${event.n}`);
  }

  sbbRolledBack(context: { event: Ping }) {
    this.note = `written by sbbRolledBack of ${context.event.n}`;
    if (context.event.delayMs) {
      return turns(context.event.delayMs).then(() => {
        throw new Error('sbbRolledBack refused, later');
      });
    }
    throw new Error('sbbRolledBack refused');
  }
}

for (const mode of ['synchronously', 'asynchronously'] as const) {
  test(`an sbbRolledBack that writes CMP and then throws ${mode} has its writes rolled back and raises an alarm`, async () => {
    seen.length = 0;
    const { slee, ra, close } = await startCoreFixture();
    deploy(slee, StubbornSbb);
    const activity = ra.startActivity();
    assert.equal(await ra.fire(activity, PingEvent, { n: 1 }, 'stubborn'), false);
    const delay = mode === 'asynchronously' ? { delayMs: 2 } : {};
    assert.equal(await ra.fire(activity, PingEvent, { n: 2, fail: true, ...delay }, 'stubborn'), true);
    await ra.fire(activity, PingEvent, { n: 3 }, 'stubborn');
    assert.deepEqual(seen, ['n1:initial', 'n2:initial', 'n3:initial'], "sbbRolledBack's CMP write did not survive its throw");
    const alarm = slee.kernel.alarms.list().find((a) => a.type === 'sleet.sbb.rolled-back-failed');
    assert.ok(alarm, 'an alarm names the failed sbbRolledBack');
    assert.equal(alarm.level, 'MAJOR');
    assert.match(alarm.message, /StubbornSbb\.sbbRolledBack threw.*sbbRolledBack refused/);
    await close();
  });
}

/** Its sbbRolledBack writes CMP and never settles. */
@Service()
@Sbb()
class StuckRecoverySbb {
  @Cmp() note = 'initial';

  @InitialEvent({ select: ['Address'] })
  onPing(event: Ping) {
    seen.push(`n${event.n}:${this.note}`);
    if (event.fail) throw new Error(`handler refused ${event.n}`);
  }

  sbbRolledBack() {
    this.note = 'written by a stuck sbbRolledBack';
    return new Promise<void>(() => {});
  }
}

test('an sbbRolledBack that never settles is rolled back at the handler timeout, and the tree is freed', async () => {
  seen.length = 0;
  const clock = new FakeClock(0);
  const { slee, ra, close } = await startCoreFixture({ clock, handlerTimeoutMs: 500 });
  deploy(slee, StuckRecoverySbb);
  const activity = ra.startActivity();
  assert.equal(await ra.fire(activity, PingEvent, { n: 1 }, 'stuck'), false);
  let failed: boolean | undefined;
  void ra.fire(activity, PingEvent, { n: 2, fail: true }, 'stuck').then((f) => (failed = f));
  await turns(5);
  assert.equal(failed, undefined, 'the delivery waits for sbbRolledBack');
  clock.advance(500);
  await turns(5);
  assert.equal(failed, true);
  assert.equal(await ra.fire(activity, PingEvent, { n: 3 }, 'stuck'), false);
  assert.deepEqual(seen, ['n1:initial', 'n2:initial', 'n3:initial']);
  assert.match(slee.kernel.alarms.list().find((a) => a.type === 'sleet.sbb.rolled-back-failed')?.message ?? '', /did not settle within 500 ms/);
  await close();
});
