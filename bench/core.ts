import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { Slee } from '../slee/container/slee.js';
import { Sbb } from '../slee/component-model/sbb.decorator.js';
import { Service } from '../slee/component-model/service.decorator.js';
import { InitialEvent } from '../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../slee/component-model/cmp.decorator.js';
import { defineEventType } from '../slee/component-model/event-type.js';
import type { ActivityContextInterface } from '../slee/activity/activity-context-interface.js';
import { ActivityContextNamingFacility } from '../slee/facilities/naming/activity-context-naming-facility.js';
import { NullActivityFactory } from '../slee/facilities/null-activity/null-activity-factory.js';
import { DirectResourceAdaptor } from '../resource-adaptors/direct/direct-resource-adaptor.js';
import type { BenchResult } from './bench-result.js';

interface Tick {
  n: number;
}
const TickEvent = defineEventType<Tick>('bench.Tick', { short: 'Tick' });
const ParkEvent = defineEventType<Tick>('bench.Park', { short: 'Park' });

@Service()
@Sbb()
class CounterSbb {
  @Cmp() count = 0;
  @Cmp() last = 0;

  @InitialEvent()
  onTick(event: Tick) {
    this.count = this.count + 1;
    this.last = event.n;
  }
}

/** What a service's handler usually is: async, awaiting a lookup that a cache answers at once. */
@Service()
@Sbb()
class AsyncCounterSbb {
  @Cmp() count = 0;
  @Cmp() last = 0;

  @InitialEvent()
  async onTick(event: Tick) {
    const n = await cachedLookup(event.n);
    this.count = this.count + 1;
    this.last = n;
  }
}

async function cachedLookup(n: number): Promise<number> {
  return n;
}

/** Parks itself on one shared null activity, so what stays behind is the entity, not its activity. */
@Service()
@Sbb()
class IdleSbb {
  @Cmp() count = 0;
  @Cmp() last = 0;

  constructor(
    private readonly naming: ActivityContextNamingFacility,
    private readonly nulls: NullActivityFactory,
  ) {}

  @InitialEvent()
  onPark(event: Tick, aci: ActivityContextInterface) {
    let shared = this.naming.lookup('parking');
    if (!shared) {
      shared = this.nulls.getActivityContextInterface(this.nulls.createNullActivity());
      this.naming.bind(shared, 'parking');
    }
    shared.attach();
    aci.detach();
    this.count = 1;
    this.last = event.n;
  }
}

async function newSlee(root: new (...args: never[]) => object) {
  const slee = new Slee({ logger: pino({ level: 'silent' }) });
  const ra = new DirectResourceAdaptor([TickEvent, ParkEvent]);
  await slee.createResourceAdaptorEntity('bench', ra);
  await slee.activateResourceAdaptorEntity('bench');
  await slee.start();
  slee.activateService(slee.installService(root));
  return { slee, ra };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function attachedDelivery(activities: number, eventsPerActivity: number, root: new (...args: never[]) => object = CounterSbb) {
  const { slee, ra } = await newSlee(root);
  const handles = Array.from({ length: activities }, () => ra.startActivity());
  for (const h of handles) ra.fireAndForget(h, TickEvent, { n: 0 });
  await slee.idle();
  const total = activities * eventsPerActivity;
  const started = process.hrtime.bigint();
  for (let i = 0; i < eventsPerActivity; i++) for (const h of handles) ra.fireAndForget(h, TickEvent, { n: i });
  await slee.idle();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await slee.stop();
  return total / seconds;
}

async function rootCreation(count: number) {
  const { slee, ra } = await newSlee(CounterSbb);
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) ra.fireAndForget(ra.startActivity(), TickEvent, { n: i });
  await slee.idle();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const created = slee.kernel.stats.entitiesCreated;
  await slee.stop();
  if (created !== count) throw new Error(`expected ${count} roots, created ${created}`);
  return count / seconds;
}

async function idleEntityFootprint(count: number) {
  const { slee, ra } = await newSlee(IdleSbb);
  const warm = ra.startActivity();
  await ra.fire(warm, ParkEvent, { n: -1 });
  ra.endActivity(warm);
  await slee.idle();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) {
    const activity = ra.startActivity();
    ra.fireAndForget(activity, ParkEvent, { n: i });
    ra.endActivity(activity);
  }
  await slee.idle();
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  const live = slee.kernel.entities.size;
  if (live !== count + 1)
    throw new Error(`expected ${count + 1} idle entities, found ${live}: ${JSON.stringify(slee.kernel.alarms.list().map((a) => a.message))}`);
  const perEntity = (after - before) / count;
  await slee.stop();
  return perEntity;
}

export async function run(options: { quick?: boolean } = {}): Promise<BenchResult> {
  const activities = 1_000;
  const eventsPerActivity = options.quick ? 50 : 300;
  const roots = options.quick ? 20_000 : 100_000;
  const idle = options.quick ? 20_000 : 100_000;
  const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  await attachedDelivery(200, 50);
  const deliveryRate = await attachedDelivery(activities, eventsPerActivity);
  await attachedDelivery(200, 50, AsyncCounterSbb);
  const asyncRate = await attachedDelivery(activities, eventsPerActivity, AsyncCounterSbb);
  const rootRate = await rootCreation(roots);
  const bytes = await idleEntityFootprint(idle);
  return {
    name: 'core',
    rows: [
      { figure: 'events/s to attached SBB entities', value: Math.round(deliveryRate), target: '>= 100,000' },
      { figure: 'events/s to attached SBB entities, async handler (one await)', value: Math.round(asyncRate), target: '>= 50,000' },
      { figure: 'new root entities/s from initial events', value: Math.round(rootRate), target: '>= 30,000' },
      {
        figure: `heap bytes per idle SBB entity (2 CMP fields, ${idle} entities)${hasGc ? '' : ' [no --expose-gc: unreliable]'}`,
        value: Math.round(bytes),
        target: '<= 2,048',
      },
    ],
    params: { activities, eventsPerActivity, roots, idleEntities: idle, exposeGc: hasGc, handler: 'sync, two CMP writes', node: process.version },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.table(result.rows);
}
