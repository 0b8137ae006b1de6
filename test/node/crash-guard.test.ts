import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { AlarmRegistry } from '../../slee/facilities/alarm/alarm-registry.js';
import { CRASH_GUARD_SOURCE, UNCAUGHT_ERROR_ALARM, installCrashGuard } from '../../server/node/crash-guard.js';

function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const settle = () => new Promise((r) => setImmediate(r));

test('the crash guard logs each distinct error once, raises one alarm per kind counting repeats, and removes itself', async () => {
  const target = new EventEmitter();
  const alarms = new AlarmRegistry();
  const { logger, lines } = capturingLogger();
  const remove = installCrashGuard(target, logger, alarms);

  const rejection = new Error('nobody awaited me');
  target.emit('unhandledRejection', rejection, Promise.resolve());
  target.emit('unhandledRejection', rejection, Promise.resolve());
  target.emit('uncaughtException', new TypeError('a callback threw'));
  await settle();

  assert.equal(lines.length, 2, 'the repeated rejection is logged once');
  assert.deepEqual(
    lines.map((l) => l['kind']),
    ['unhandledRejection', 'uncaughtException'],
  );
  const raised = alarms.list(CRASH_GUARD_SOURCE);
  assert.deepEqual(
    raised.map((a) => [a.type, a.instanceId, a.level]),
    [
      [UNCAUGHT_ERROR_ALARM, 'unhandledRejection', 'MAJOR'],
      [UNCAUGHT_ERROR_ALARM, 'uncaughtException', 'CRITICAL'],
    ],
  );
  assert.match(raised[0]!.message, /^2 unhandled promise rejections .*nobody awaited me/);
  assert.match(raised[1]!.message, /^1 uncaught exception .*a callback threw/);

  remove();
  assert.equal(target.listenerCount('uncaughtException'), 0);
  assert.equal(target.listenerCount('unhandledRejection'), 0);
});

test('the crash guard takes rejections with reasons that are not errors', () => {
  const target = new EventEmitter();
  const alarms = new AlarmRegistry();
  installCrashGuard(target, capturingLogger().logger, alarms);
  target.emit('unhandledRejection', 'a bare string', Promise.resolve());
  target.emit('unhandledRejection', undefined, Promise.resolve());
  assert.match(alarms.list()[0]!.message, /^2 unhandled promise rejections .*undefined/);
});
