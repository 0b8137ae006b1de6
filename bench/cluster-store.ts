import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { Slee } from '../slee/container/slee.js';
import { Sbb } from '../slee/component-model/sbb.decorator.js';
import { Service } from '../slee/component-model/service.decorator.js';
import { InitialEvent } from '../slee/component-model/initial-event.decorator.js';
import { Cmp } from '../slee/component-model/cmp.decorator.js';
import { defineEventType } from '../slee/component-model/event-type.js';
import type { ActivityContextInterface } from '../slee/activity/activity-context-interface.js';
import { DirectResourceAdaptor } from '../resource-adaptors/direct/direct-resource-adaptor.js';
import { RedisStateReplication } from '../server/cluster/redis-state-replication.js';

const Step = defineEventType<{ n: number }>('bench.cluster.Step', { short: 'Step' });

/** A call as the store sees it: created on the first event, CMP and an ACI attribute written on each. */
@Service({ name: 'BenchCall' })
@Sbb()
class BenchCallSbb {
  @Cmp() steps = 0;
  @Cmp() state = '';

  @InitialEvent({ select: ['ActivityContext'] })
  onStep(event: { n: number }, aci: ActivityContextInterface) {
    this.steps = this.steps + 1;
    this.state = `step-${event.n}`;
    aci.set('last', event.n);
  }
}

export interface StoreFigures {
  store: 'in-memory' | 'redis';
  calls: number;
  callsPerSecond: number;
  redisCommandsPerCall: number;
  redisBytesPerCall: number;
  conflicts: number;
}

/**
 * `calls` calls through one SLEE, `concurrency` at a time: each starts an
 * activity, takes its first event (the entity is created), is replicated
 * (with the Redis store), takes `events - 1` more, and ends. The same run
 * with the in-memory store and with the Redis store gives what replication
 * costs per call.
 */
export async function storeRun(store: 'in-memory' | 'redis', redisUrl: string, calls: number, events: number, concurrency: number): Promise<StoreFigures> {
  const cluster = `bench-${randomUUID()}`;
  const replication = store === 'redis' ? new RedisStateReplication({ redisUrl, cluster }) : undefined;
  const slee = new Slee({ logger: pino({ level: 'silent' }), ...(replication ? { replication } : {}) });
  const ra = new DirectResourceAdaptor([Step]);
  await slee.createResourceAdaptorEntity('bench', ra);
  await slee.activateResourceAdaptorEntity('bench');
  slee.activateService(slee.installService(BenchCallSbb));
  await slee.start();
  let next = 0;
  const oneCall = async (): Promise<void> => {
    const activity = ra.startActivity(`call-${next++}`);
    await ra.fire(activity, Step, { n: 0 });
    if (replication) await ra.replicate(activity);
    for (let n = 1; n < events; n++) await ra.fire(activity, Step, { n });
    ra.endActivity(activity);
  };
  const started = process.hrtime.bigint();
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (done < calls) {
        done++;
        await oneCall();
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await slee.stop();
  const counters = replication?.counters;
  if (replication) {
    const keys = await replication.redis.keys(`sleet:${cluster}:*`);
    if (keys.length > 0) await replication.redis.del(...keys);
    await replication.close();
  }
  return {
    store,
    calls,
    callsPerSecond: Math.round(calls / seconds),
    redisCommandsPerCall: counters ? Math.round((counters.commands / calls) * 100) / 100 : 0,
    redisBytesPerCall: counters ? Math.round(counters.bytesWritten / calls) : 0,
    conflicts: counters?.conflicts ?? 0,
  };
}
