import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { FakeClock } from '../../base/clock/fake-clock.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { startCommand } from '../../server/cli/commands/start-command.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { PingEvent, deploy, startCoreFixture, type Ping } from '../helpers/core-fixture.js';
import { turns } from '../helpers/turns.js';

const seen: string[] = [];
let wakeLate: (() => void) | null = null;

/** Event 1 never settles by itself (the test can wake it long after its timeout); the others commit at once. */
@Service()
@Sbb()
class HangingSbb {
  @Cmp() note = 'initial';

  @InitialEvent({ select: ['Address'] })
  async onPing(event: Ping, aci: ActivityContextInterface) {
    seen.push(`n${event.n}:${this.note}:${aci.get('mark') ?? '-'}`);
    this.note = `set by ${event.n}`;
    aci.set('mark', event.n);
    if (event.n === 1) {
      await new Promise<void>((resolve) => (wakeLate = resolve));
      this.note = 'written after the timeout';
    }
  }
}

test('a handler that never settles is rolled back at the handler timeout, with an alarm, and later events of its activity and tree flow', async () => {
  seen.length = 0;
  const clock = new FakeClock(0);
  const { slee, ra, close } = await startCoreFixture({ clock, handlerTimeoutMs: 1000 });
  deploy(slee, HangingSbb);
  const activity = ra.startActivity();
  assert.equal(await ra.fire(activity, PingEvent, { n: 0 }, 'hang'), false);
  let hungFailed: boolean | undefined;
  let nextFailed: boolean | undefined;
  void ra.fire(activity, PingEvent, { n: 1 }, 'hang').then((f) => (hungFailed = f));
  void ra.fire(activity, PingEvent, { n: 2 }, 'hang').then((f) => (nextFailed = f));
  await turns(5);
  clock.advance(999);
  await turns(5);
  assert.deepEqual(seen, ['n0:initial:-', 'n1:set by 0:0'], 'the next event waits while the handler may still settle');
  clock.advance(1);
  await turns(5);
  assert.equal(hungFailed, true, 'the timed-out delivery is reported as failed');
  assert.equal(nextFailed, false);
  assert.deepEqual(seen.at(-1), 'n2:set by 0:0', "the timed-out transaction's CMP and ACI writes are rolled back, and the tree's lock is free");
  const alarm = slee.kernel.alarms.list().find((a) => a.type === 'sleet.sbb.handler-timeout');
  assert.ok(alarm, 'an alarm names the handler that ran out of time');
  assert.equal(alarm.level, 'MAJOR');
  assert.match(alarm.message, /HangingSbb\.onPing did not settle within 1000 ms handling test\.Ping/);

  wakeLate!();
  await turns(5);
  assert.equal(await ra.fire(activity, PingEvent, { n: 3 }, 'hang'), false);
  assert.equal(seen.at(-1), 'n3:set by 2:2', 'a handler waking after its timeout cannot write any more');
  await close();
});

const served: Array<{ n: number; object: object }> = [];
let wakeHung: (() => void) | null = null;

/** Event 1 hangs past its timeout; every event records the pooled object that served it. */
@Service()
@Sbb()
class PooledHangSbb {
  @InitialEvent({ select: ['Address'] })
  async onPing(event: Ping) {
    served.push({ n: event.n, object: this });
    if (event.n === 1) await new Promise<void>((resolve) => (wakeHung = resolve));
  }
}

test("a timed-out handler keeps its SBB object until it settles: no other entity's event is served by it meanwhile", async () => {
  served.length = 0;
  const clock = new FakeClock(0);
  const { slee, ra, close } = await startCoreFixture({ clock, handlerTimeoutMs: 1000 });
  deploy(slee, PooledHangSbb);
  assert.equal(await ra.fire(ra.startActivity(), PingEvent, { n: 0 }, 'a'), false);
  const hung = ra.fire(ra.startActivity(), PingEvent, { n: 1 }, 'b');
  await turns(5);
  clock.advance(1000);
  assert.equal(await hung, true, 'the hung delivery timed out');
  assert.equal(await ra.fire(ra.startActivity(), PingEvent, { n: 2 }, 'c'), false);
  const objectOf = (n: number) => served.find((s) => s.n === n)!.object;
  assert.equal(objectOf(1), objectOf(0), 'the pool hands back the object the first event released');
  assert.notEqual(objectOf(2), objectOf(1), 'the object still running the timed-out handler is not handed out again');
  wakeHung!();
  await turns(5);
  assert.equal(await ra.fire(ra.startActivity(), PingEvent, { n: 3 }, 'd'), false);
  assert.ok([objectOf(1), objectOf(2)].includes(objectOf(3)), 'once settled, its object is back in the pool');
  await close();
});

test('the handler timeout is a node setting: --handler-timeout-ms and SLEET_HANDLER_TIMEOUT_MS', () => {
  assert.equal(resolveNodeConfig({ env: {} }).handlerTimeoutMs, 30_000, 'a default of 30 s');
  assert.equal(resolveNodeConfig({ flags: { handlerTimeoutMs: '250' }, env: { SLEET_HANDLER_TIMEOUT_MS: '750' } }).handlerTimeoutMs, 250);
  assert.equal(resolveNodeConfig({ env: { SLEET_HANDLER_TIMEOUT_MS: '750' } }).handlerTimeoutMs, 750);
  assert.throws(
    () => resolveNodeConfig({ env: { SLEET_HANDLER_TIMEOUT_MS: '0' } }),
    (err: unknown) => SleetError.is(err, ErrorCode.CONFIG_INVALID) && /SLEET_HANDLER_TIMEOUT_MS/.test(err.message),
  );
  assert.ok(
    startCommand().options.some((o) => o.long === '--handler-timeout-ms'),
    'sleet start takes --handler-timeout-ms',
  );
});
