// One SLEE process of the cluster test: a SLEE on a shared bull timer queue.
// Commands arrive as JSON lines on stdin; it prints `ready` once started and
// one `received <json>` line per timer event its services handle.
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { Slee } from '../../slee/container/slee.js';
import { BullTimerBackend } from '../../slee/facilities/timer/bull-timer-backend.js';
import { DirectResourceAdaptor } from '../../resource-adaptors/direct/direct-resource-adaptor.js';
import type { TimerOptions } from '../../slee/facilities/timer/timer-options.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { CancelTimerEvent, SetTimerEvent, WakeUpBookingSbb, WakeUpCallSbb, receiptListeners } from './timer-test-services.js';

type Command = { cmd: 'set'; options: TimerOptions } | { cmd: 'stop' };

const [redisUrl, queueName] = process.argv.slice(2) as [string, string];
const slee = new Slee({ logger: silentLogger(), timerBackend: new BullTimerBackend({ redisUrl, queueName }) });
const ra = new DirectResourceAdaptor([SetTimerEvent, CancelTimerEvent]);
await slee.createResourceAdaptorEntity('timers', ra);
await slee.activateResourceAdaptorEntity('timers');
for (const service of [WakeUpBookingSbb, WakeUpCallSbb]) slee.activateService(slee.installService(service));
receiptListeners.push(({ event, activityContextId }) => {
  process.stdout.write(`received ${JSON.stringify({ pid: process.pid, activityContextId, ...event })}\n`);
});
await slee.start();
process.stdout.write('ready\n');

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const command = JSON.parse(line) as Command;
  if (command.cmd === 'set') await ra.fire(ra.startActivity(), SetTimerEvent, command.options);
  else {
    await slee.stop();
    process.stdout.write('stopped\n');
    lines.close();
  }
}
