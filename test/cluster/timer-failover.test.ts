import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BullTimerBackend } from '../../slee/facilities/timer/bull-timer-backend.js';
import { REDIS_URL, redisAvailable, removeQueue, uniqueQueueName, waitUntil } from '../timers/redis-for-tests.js';
import { RedisStateReplication } from '../../server/cluster/redis-state-replication.js';
import { removeClusterKeys, uniqueClusterName } from './replication-fixture.js';
import { firedOn, startTimerNode, timerNodeDiagnostics } from './timer-node-process.js';

test('a durable timer set on a node that is then killed fires on the survivor, on its own activity with its CMP state', async (t) => {
  if (!(await redisAvailable(t))) return;
  const queueName = uniqueQueueName();
  const cluster = uniqueClusterName();
  const recordsKey = new BullTimerBackend({ redisUrl: REDIS_URL, queueName }).recordsKey;
  const setter = startTimerNode(REDIS_URL, queueName, cluster);
  const survivor = startTimerNode(REDIS_URL, queueName, cluster);
  const store = new RedisStateReplication({ redisUrl: REDIS_URL, cluster });
  const diagnostics = () => timerNodeDiagnostics([setter, survivor]);
  t.after(async () => {
    for (const n of [setter, survivor]) if (!n.exited) n.child.kill('SIGKILL');
    await removeQueue(queueName, recordsKey);
    await removeClusterKeys(store, cluster);
    await store.close();
  });
  await waitUntil(
    () => setter.lines.includes('ready') && survivor.lines.includes('ready'),
    () => `both nodes to start\n${diagnostics()}`,
  );

  setter.child.stdin.write(`${JSON.stringify({ handle: 'call-42', note: 'call the plumber', delay: 1500 })}\n`);
  await waitUntil(
    () => setter.lines.includes('set call-42'),
    () => `the timer to be set and replicated\n${diagnostics()}`,
  );
  setter.child.kill('SIGKILL');
  await waitUntil(() => setter.exited, 'the setter to die');

  await waitUntil(
    () => firedOn(survivor).length > 0,
    () => `the timer to fire on the survivor\n${diagnostics()}`,
  );
  const [fired] = firedOn(survivor);
  assert.equal(fired!.activityContextId, 'reminders/call-42', 'on the activity it was set on, not a fresh null activity');
  assert.equal(fired!.note, 'call the plumber', 'with the CMP state the killed node committed');
  assert.equal(fired!.setBy, setter.child.pid);
  assert.equal(fired!.pid, survivor.child.pid);
  assert.equal(fired!.count, 2, 'the entity the timer was set by, not a new one');
});
