import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import Queue from 'bull';

export const REDIS_URL = process.env.SLEET_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Why Redis cannot be used, or null when it answers PING. */
function redisUnreachable(url: string): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const done = (reason: string | null) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(2000, () => done('no answer within 2 s'));
    socket.once('error', (err) => done(err.message));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG') ? null : `unexpected reply ${JSON.stringify(data.toString())}`));
  });
}

/**
 * True when the test may use Redis. Under CI=true an unreachable Redis is a
 * failure; elsewhere the test is skipped with the reason.
 */
export async function redisAvailable(t: TestContext): Promise<boolean> {
  const reason = await redisUnreachable(REDIS_URL);
  if (reason === null) return true;
  const message = `Redis not reachable at ${REDIS_URL}: ${reason}`;
  if (process.env.CI === 'true') assert.fail(message);
  t.skip(message);
  return false;
}

export function uniqueQueueName(): string {
  return `sleet-timers-test-${randomUUID()}`;
}

/** A plain bull queue (no worker) for inspecting and cleaning a test's queue. */
export function inspectQueue(queueName: string): Queue.Queue {
  return new Queue(queueName, REDIS_URL);
}

/** Removes the queue's jobs and the timer records beside it. */
export async function removeQueue(queueName: string, recordsKey: string): Promise<void> {
  const queue = inspectQueue(queueName);
  try {
    await queue.obliterate({ force: true });
    await queue.client.del(recordsKey);
  } finally {
    await queue.close();
  }
}

/** Polls until `condition` holds; fails after `limitMs` (a safety net against hanging, not a performance bound). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string | (() => string), limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
