import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sbb } from '../../slee/component-model/sbb.decorator.js';
import { Service } from '../../slee/component-model/service.decorator.js';
import { InitialEvent } from '../../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../../slee/component-model/cmp.decorator.js';
import { ChildRelation } from '../../slee/component-model/child-relation.decorator.js';
import type { ChildRelationView } from '../../slee/entity/child-relation-view.js';
import type { ActivityContextInterface } from '../../slee/activity/activity-context-interface.js';
import { PingEvent, PongEvent, deploy, startCoreFixture, type Ping } from '../helpers/core-fixture.js';

const trail: string[] = [];

@Sbb()
class LegSbb {
  @Cmp() label = '';

  setLabel(label: string): void {
    this.label = label;
  }

  describe(): string {
    return `leg ${this.label}`;
  }

  onPong() {
    trail.push(`pong:${this.label}`);
  }

  sbbCreate() {
    trail.push('create:leg');
  }

  sbbRemove() {
    trail.push(`remove:${this.label}`);
  }
}

@Service()
@Sbb()
class CallSbb {
  @ChildRelation(() => LegSbb) legs!: ChildRelationView<LegSbb>;

  @InitialEvent()
  onPing(event: Ping, aci: ActivityContextInterface) {
    if (event.n === 1) {
      const a = this.legs.create();
      a.setLabel('A');
      aci.attach(a);
      const b = this.legs.create({ priority: 5 });
      b.setLabel('B');
      aci.attach(b);
    } else if (event.n === 2) {
      trail.push(`children:${[...this.legs].map((leg) => leg.describe()).join(',')}`);
    } else if (event.n === 3) {
      const [first] = [...this.legs];
      first!.remove();
    }
  }

  onPong() {
    trail.push('pong:root');
  }

  sbbRemove() {
    trail.push('remove:root');
  }
}

test('children are created through a child relation, called through local objects, and delivered to after their parent by priority', async () => {
  trail.length = 0;
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, CallSbb);
  const activity = ra.startActivity();
  await ra.fire(activity, PingEvent, { n: 1 });
  assert.deepEqual(trail, ['create:leg', 'create:leg']);
  await ra.fire(activity, PingEvent, { n: 2 });
  assert.equal(trail.at(-1), 'children:leg A,leg B');
  await ra.fire(activity, PongEvent, { n: 0 });
  assert.deepEqual(trail.slice(-3), ['pong:root', 'pong:B', 'pong:A']);
  assert.equal(slee.kernel.entities.size, 3);
  await close();
});

test('removing a child removes it alone; ending the activity removes the whole tree, children first', async () => {
  trail.length = 0;
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, CallSbb);
  const activity = ra.startActivity();
  await ra.fire(activity, PingEvent, { n: 1 });
  await ra.fire(activity, PingEvent, { n: 3 });
  assert.deepEqual(trail.slice(-1), ['remove:A']);
  assert.equal(slee.kernel.entities.size, 2);
  ra.endActivity(activity);
  await slee.idle();
  assert.deepEqual(trail.slice(-2), ['remove:B', 'remove:root']);
  assert.equal(slee.kernel.entities.size, 0, 'no entity outlives its tree');
  assert.equal(slee.listServices()[0]!.rootEntities, 0);
  assert.deepEqual(ra.ended, [activity.handle]);
  await close();
});

@Service()
@Sbb()
class DetachingSbb {
  @InitialEvent()
  onPing(_event: Ping, aci: ActivityContextInterface) {
    aci.detach();
  }

  sbbRemove() {
    trail.push('remove:detaching');
  }
}

test('a root entity whose attachment count reaches zero is removed with its tree', async () => {
  trail.length = 0;
  const { slee, ra, close } = await startCoreFixture();
  deploy(slee, DetachingSbb);
  await ra.fire(ra.startActivity(), PingEvent, { n: 1 });
  await slee.idle();
  assert.deepEqual(trail, ['remove:detaching']);
  assert.equal(slee.kernel.entities.size, 0);
  await close();
});
