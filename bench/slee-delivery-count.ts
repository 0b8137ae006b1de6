import 'reflect-metadata';
import { pino } from 'pino';
import { Slee } from '../slee/container/slee.js';
import { Sbb } from '../slee/component-model/sbb.decorator.js';
import { Service } from '../slee/component-model/service.decorator.js';
import { InitialEvent } from '../slee/component-model/initial-event.decorator.js';
import { EventHandler } from '../slee/component-model/event-handler.decorator.js';
import { Cmp } from '../slee/component-model/cmp.decorator.js';
import { defineEventType } from '../slee/component-model/event-type.js';
import type { ActivityContextInterface } from '../slee/activity/activity-context-interface.js';
import { DirectResourceAdaptor } from '../resource-adaptors/direct/direct-resource-adaptor.js';

interface Step {
  n: number;
}
const Begin = defineEventType<Step>('bench.Begin', { short: 'Begin' });
const Next = defineEventType<Step>('bench.Next', { short: 'Next' });

/** A call's shape as the SLEE sees it: an initial event makes a root, a second reaches it attached, the activity's end removes it. */
@Service()
@Sbb()
class CallLikeSbb {
  @Cmp() state = '';
  @Cmp() last = 0;

  @InitialEvent()
  onBegin(event: Step, aci: ActivityContextInterface) {
    this.state = 'begun';
    this.last = event.n;
    aci.set('leg', event.n);
  }

  @EventHandler(Next)
  onNext(event: Step) {
    this.state = 'next';
    this.last = event.n;
  }
}

/**
 * The SLEE's per-event machinery without a network or timers, for
 * counting under `valgrind --tool=callgrind` as `proxy-forward-count`
 * is (docs/performance.md): per iteration an activity starts, an initial
 * event creates a root entity (two CMP writes, an ACI attribute), a second
 * event reaches it attached, and the activity ends, which removes the
 * entity. Run `node --predictable --random-seed=1
 * dist/bench/slee-delivery-count.js <iterations>` for two counts; the
 * difference of the counts over the difference of iterations is one
 * iteration's cost. It prints what it created and removed, the same for
 * two builds that do the same work.
 */
const iterations = Number(process.argv[2] ?? 1000);
const slee = new Slee({ logger: pino({ level: 'silent' }) });
const ra = new DirectResourceAdaptor([Begin, Next]);
await slee.createResourceAdaptorEntity('count', ra);
await slee.activateResourceAdaptorEntity('count');
await slee.start();
slee.activateService(slee.installService(CallLikeSbb));

for (let i = 0; i < iterations; i++) {
  const activity = ra.startActivity();
  ra.fireAndForget(activity, Begin, { n: i });
  ra.fireAndForget(activity, Next, { n: i });
  ra.endActivity(activity);
  await slee.idle();
}
const stats = slee.kernel.stats;
const live = slee.kernel.entities.size;
await slee.stop();
if (stats.entitiesCreated !== iterations || live !== 0)
  throw new Error(`expected ${iterations} entities created and none live, got ${stats.entitiesCreated} and ${live}`);
console.log(`iterations ${iterations}, entities created ${stats.entitiesCreated}, removed ${stats.entitiesRemoved}, live activities ${ra.liveActivities}`);
