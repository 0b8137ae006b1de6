import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueQueueName, waitUntil } from '../timers/redis-for-tests.js';
import { uniqueClusterName } from './replication-fixture.js';
import { clusterKeys, redisClusterForFile, type RedisClusterForTests } from './redis-cluster-for-tests.js';
import { startClusterNodeProcess, type ClusterNodeProcess } from './cluster-node-process.js';
import { firedOn, startTimerNode, timerNodeDiagnostics } from './timer-node-process.js';

// One real 3-master Redis Cluster for the file; each test uses its own cluster name.
const clusterOrSkip = redisClusterForFile();

/** Deletes the keys matching the pattern on every master. */
async function removeKeys(redis: RedisClusterForTests, pattern: string): Promise<void> {
  await Promise.all(
    redis.masters.map(async (master) => {
      const keys = await master.keys(pattern);
      // One DEL per key: a master refuses a DEL whose keys span slots.
      for (const key of keys) await master.del(key);
    }),
  );
}

type Service = { id: { name: string }; state: string };

async function serviceState(node: ClusterNodeProcess, name: string): Promise<string | undefined> {
  return ((await node.api('GET', '/services')).json as Service[]).find((s) => s.id.name === name)?.state;
}

test('two sleet start nodes given a Redis Cluster seed list join, list each other, keep their keys on the masters, and share their deployment', async (t) => {
  const redis = clusterOrSkip(t);
  if (!redis) return;
  const cluster = uniqueClusterName();
  const redisUrl = redis.urls.join(',');
  const nodes: ClusterNodeProcess[] = [];
  t.after(async () => {
    for (const n of nodes) await n.kill();
    await removeKeys(redis, `sleet:${cluster}:*`);
  });
  nodes.push(await startClusterNodeProcess({ cluster, id: 'node-a', redisUrl }));
  nodes.push(await startClusterNodeProcess({ cluster, id: 'node-b', redisUrl }));
  const [a, b] = nodes as [ClusterNodeProcess, ClusterNodeProcess];

  const listed = await b.api('GET', '/cluster/nodes');
  assert.equal(listed.status, 200, JSON.stringify(listed.json));
  assert.deepEqual((listed.json as Array<{ id: string }>).map((n) => n.id).sort(), ['node-a', 'node-b']);
  const keys = (await clusterKeys(redis, `sleet:${cluster}:*`)).flat();
  for (const key of [`sleet:${cluster}:node:node-a`, `sleet:${cluster}:node:node-b`, `sleet:${cluster}:route-secret`]) {
    assert.ok(keys.includes(key), `${key} is on a master of the Redis Cluster: ${JSON.stringify(keys)}`);
  }
  assert.match(a.log, /"timers":"bull \(durable\)","redis":"Redis Cluster"/, 'the node keeps its timers in bull, on the Redis Cluster');

  // The deployment log and its pub/sub carry a deactivation from A to B.
  assert.equal(await serviceState(b, 'LocationProxy'), 'ACTIVE');
  assert.equal((await a.api('POST', '/services/LocationProxy/deactivate')).status, 200);
  await waitUntil(async () => (await serviceState(b, 'LocationProxy')) === 'INACTIVE', 'LocationProxy to be INACTIVE on node B', 5000);
  assert.ok((await clusterKeys(redis, `sleet:${cluster}:deployment:log`)).flat().length === 1, 'the log is on a master');

  // A node stopping closes its cluster clients (state, adverts, log subscriber, bull's three) and leaves the list.
  await b.stop();
  assert.equal(b.exitCode, 0, b.log);
  await waitUntil(async () => ((await a.api('GET', '/cluster/nodes')).json as unknown[]).length === 1, 'node B to leave the list', 5000);
});

test('on a Redis Cluster, a durable timer set on a node that is then killed fires on the survivor, its queue in one slot', async (t) => {
  const redis = clusterOrSkip(t);
  if (!redis) return;
  const queueName = uniqueQueueName();
  const cluster = uniqueClusterName();
  const redisUrl = redis.urls.join(',');
  const setter = startTimerNode(redisUrl, queueName, cluster);
  const survivor = startTimerNode(redisUrl, queueName, cluster);
  const diagnostics = () => timerNodeDiagnostics([setter, survivor]);
  t.after(async () => {
    for (const n of [setter, survivor]) if (!n.exited) n.child.kill('SIGKILL');
    await removeKeys(redis, `*${queueName}*`);
    await removeKeys(redis, `sleet:${cluster}:*`);
  });
  await waitUntil(
    () => setter.lines.includes('ready') && survivor.lines.includes('ready'),
    () => `both nodes to start\n${diagnostics()}`,
  );

  setter.child.stdin.write(`${JSON.stringify({ handle: 'call-7', note: 'call the plumber', delay: 1500 })}\n`);
  await waitUntil(
    () => setter.lines.includes('set call-7'),
    () => `the timer to be set and replicated\n${diagnostics()}`,
  );
  // The timer is stored (its record, then its expiry job) once its transaction has committed, a moment after the activity is replicated.
  const delayedKey = `{bull}:${queueName}:delayed`;
  await waitUntil(async () => (await clusterKeys(redis, delayedKey)).flat().length === 1, 'the expiry as a delayed job on a master');
  const queueKeys = await clusterKeys(redis, `*${queueName}*`);
  assert.equal(queueKeys.filter((k) => k.length > 0).length, 1, `the queue's keys share one slot, on one master: ${JSON.stringify(queueKeys)}`);
  assert.ok(queueKeys.flat().includes(`{bull}:${queueName}:sleet-timer-records`), `the timer's record is there: ${JSON.stringify(queueKeys)}`);
  setter.child.kill('SIGKILL');
  await waitUntil(() => setter.exited, 'the setter to die');

  await waitUntil(
    () => firedOn(survivor).length > 0,
    () => `the timer to fire on the survivor\n${diagnostics()}`,
  );
  const [fired] = firedOn(survivor);
  assert.equal(fired!.activityContextId, 'reminders/call-7', 'on the activity it was set on');
  assert.equal(fired!.note, 'call the plumber', 'with the CMP state the killed node committed');
  assert.equal(fired!.setBy, setter.child.pid);
  assert.equal(fired!.pid, survivor.child.pid);
  assert.equal(fired!.count, 2);
});
