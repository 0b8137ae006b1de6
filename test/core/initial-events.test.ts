import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import type { InitialEventSelector } from '../../slee/component-model/initial-event-select.js';
import { SbbContext } from '../../slee/entity/sbb-context.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { CallEvent, PingEvent, PongEvent, deploy, startCoreFixture, type Ping } from '../helpers/core-fixture.js';

const log: string[] = [];

@Service({ priority: 10 })
@Sbb()
class ScreeningSbb {
  @Cmp() calls = 0;
  constructor(private readonly ctx: SbbContext) {}

  @InitialEvent({ select: ['Address'] })
  onCall(_event: { caller: string }) {
    this.calls = this.calls + 1;
    log.push(`screening:${this.ctx.sbbLocalObject.entityId}:${this.calls}`);
  }
}

@Service({ priority: 5 })
@Sbb()
class ForwardingSbb {
  @InitialEvent({ select: ['Address'] })
  onCall() {
    log.push('forwarding');
  }
}

test('a second event with the same convergence name reaches the same root entity', async () => {
  log.length = 0;
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, ScreeningSbb);
  const first = ra.startActivity();
  const second = ra.startActivity();
  await ra.fire(first, CallEvent, { caller: 'x' }, 'sip:alice@example.com');
  await ra.fire(second, CallEvent, { caller: 'y' }, 'sip:alice@example.com');
  await ra.fire(ra.startActivity(), CallEvent, { caller: 'z' }, 'sip:bob@example.com');
  assert.equal(log.length, 3);
  const [a1, a2, b1] = log.map((l) => l.split(':'));
  assert.equal(a1![1], a2![1], 'same address, same entity');
  assert.equal(a2![2], '2', 'CMP state carried over to the second event');
  assert.notEqual(b1![1], a1![1], 'another address gets its own entity');
  assert.equal(b1![2], '1');
  await close();
});

test('two services receive one event in priority order, whatever the install order', async () => {
  log.length = 0;
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, ForwardingSbb, ScreeningSbb);
  await ra.fire(ra.startActivity(), CallEvent, { caller: 'c' }, 'sip:carol@example.com');
  assert.deepEqual(
    log.map((l) => l.split(':')[0]),
    ['screening', 'forwarding'],
  );
  await close();
});

test('an event without an address is not initial for a service that selects on the address', async () => {
  log.length = 0;
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, ScreeningSbb);
  await ra.fire(ra.startActivity(), CallEvent, { caller: 'c' });
  assert.deepEqual(log, []);
  await close();
});

const selectorLog: Array<[string, number]> = [];

@Service()
@Sbb()
class PerDomainSbb {
  @Cmp() seen = 0;

  /** Converges per caller domain; anonymous callers are not initial. */
  selectDomain(selector: InitialEventSelector): InitialEventSelector {
    const caller = (selector.event as { caller: string }).caller;
    if (caller === 'anonymous') selector.initialEvent = false;
    else selector.customName = caller.split('@')[1] ?? caller;
    return selector;
  }

  @InitialEvent({ select: [], selector: 'selectDomain' })
  onCall(event: { caller: string }) {
    this.seen = this.seen + 1;
    selectorLog.push([event.caller, this.seen]);
  }
}

test('a custom selector method computes the convergence name and can refuse the event', async () => {
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, PerDomainSbb);
  for (const caller of ['a@one.net', 'b@one.net', 'anonymous', 'c@two.net']) {
    await ra.fire(ra.startActivity(), CallEvent, { caller });
  }
  assert.deepEqual(selectorLog, [
    ['a@one.net', 1],
    ['b@one.net', 2],
    ['c@two.net', 1],
  ]);
  await close();
});

const acLog: string[] = [];

@Service()
@Sbb()
class PerActivitySbb {
  constructor(private readonly ctx: SbbContext) {}

  @InitialEvent({ select: ['ActivityContext'] })
  onPing(event: Ping, aci: ActivityContextInterface) {
    acLog.push(`${event.n}:${this.ctx.sbbLocalObject.entityId}`);
    if (event.n === 1) aci.mask([PongEvent]);
  }

  onPong(event: Ping) {
    acLog.push(`pong${event.n}`);
  }
}

test('convergence on the activity context, and masked events are not delivered', async () => {
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, PerActivitySbb);
  const one = ra.startActivity();
  const two = ra.startActivity();
  await ra.fire(one, PingEvent, { n: 1 });
  await ra.fire(one, PingEvent, { n: 2 });
  await ra.fire(two, PingEvent, { n: 3 });
  await ra.fire(one, PongEvent, { n: 4 });
  await ra.fire(two, PongEvent, { n: 5 });
  const entityOf = (n: number) => acLog.find((l) => l.startsWith(`${n}:`))!.split(':')[1];
  assert.equal(entityOf(1), entityOf(2));
  assert.notEqual(entityOf(1), entityOf(3));
  assert.ok(!acLog.includes('pong4'), 'Pong was masked on activity one');
  assert.ok(acLog.includes('pong5'), 'Pong is not masked on activity two');
  await close();
});
