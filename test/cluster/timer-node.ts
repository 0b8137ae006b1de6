// One node of the timer failover test: a SLEE on a shared bull timer queue
// that replicates its activities to Redis. Commands arrive as JSON lines on
// stdin; it prints `ready`, `set <handle>` once an activity with its timer
// is replicated, and `fired <json>` for each timer event its service handles.
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { Slee } from '../../slee/container/slee.js';
import { BullTimerBackend } from '../../slee/facilities/timer/bull-timer-backend.js';
import { DirectResourceAdaptor } from '../../resource-adaptors/direct/direct-resource-adaptor.js';
import { RedisStateReplication } from '../../server/cluster/redis-state-replication.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { ReminderEvent, ReminderSbb, reminders } from './timer-services.js';

const [redisUrlSetting, queueName, cluster] = process.argv.slice(2) as [string, string, string];
// As `--redis-url` gives them to a node: one URL is a single Redis, several the seeds of a Redis Cluster.
const redisUrl = redisUrlSetting.split(',');
const store = new RedisStateReplication({ redisUrl, cluster });
const slee = new Slee({ logger: silentLogger(), timerBackend: new BullTimerBackend({ redisUrl, queueName }), replication: store });
const ra = new DirectResourceAdaptor([ReminderEvent]);
await slee.createResourceAdaptorEntity('reminders', ra);
await slee.activateResourceAdaptorEntity('reminders');
slee.activateService(slee.installService(ReminderSbb));
reminders.push((fired) => process.stdout.write(`fired ${JSON.stringify({ ...fired, pid: process.pid })}\n`));
await slee.start();
process.stdout.write('ready\n');

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { handle: string; note: string; delay: number };
  const activity = ra.startActivity(command.handle);
  await ra.fire(activity, ReminderEvent, { note: command.note, delay: command.delay, setBy: process.pid });
  await ra.replicate(activity);
  process.stdout.write(`set ${command.handle}\n`);
}
