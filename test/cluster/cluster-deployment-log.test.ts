import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { REDIS_URL, redisAvailable, waitUntil } from '../timers/redis-for-tests.js';
import { removeClusterKeysOf, uniqueClusterName } from './replication-fixture.js';
import { capturedLogger } from '../helpers/captured-logger.js';
import { ClusterDeployment } from '../../server/cluster/cluster-deployment.js';
import type { DeploymentOperation } from '../../server/management/deployment-log.js';

const service = { name: 'S', vendor: 'acme', version: '1.0' };

test('the deployment log: a bundle is stored once by hash, each node applies the others’ entries in order and not its own, failures are reported', async (t) => {
  if (!(await redisAvailable(t))) return;
  const cluster = uniqueClusterName();
  const redis = new Redis(REDIS_URL);
  const logs: ClusterDeployment[] = [];
  t.after(async () => {
    for (const log of logs) await log.stop();
    await redis.quit();
    await removeClusterKeysOf(cluster);
  });
  const node = (nodeId: string) => {
    const log = new ClusterDeployment({ redis, cluster, nodeId, logger: capturedLogger().logger, pollMs: 60_000 });
    logs.push(log);
    return log;
  };
  const applied = { a: [] as DeploymentOperation[], b: [] as DeploymentOperation[] };
  const failures: string[] = [];
  const a = node('node-a');
  const b = node('node-b');
  await a.follow(
    async (op) => void applied.a.push(op),
    (message) => failures.push(message),
  );
  await b.follow(
    async (op) => {
      applied.b.push(op);
      if (op.kind === 'deactivate') throw new Error('refused here');
    },
    (message) => failures.push(message),
  );

  const bundle = Buffer.from([0x1f, 0x8b, 0, 1, 2, 255]);
  await a.record({ kind: 'install', unit: 'acme.u@1.0.0', bundle });
  await a.record({ kind: 'install', unit: 'acme.u@1.0.0', bundle });
  await a.record({ kind: 'activate', service });
  await a.record({ kind: 'deactivate', service });
  await waitUntil(() => b.progress().revision === 4 && a.progress().revision === 4, 'both nodes at revision 4', 5000);

  assert.deepEqual(applied.a, [], 'a node does not apply what it recorded itself');
  assert.deepEqual(
    applied.b.map((op) => op.kind),
    ['install', 'install', 'activate', 'deactivate'],
  );
  const installed = applied.b[0] as Extract<DeploymentOperation, { kind: 'install' }>;
  assert.ok(installed.bundle.equals(bundle), 'the bundle bytes arrive intact');
  assert.equal((await redis.keys(`sleet:${cluster}:bundle:*`)).length, 1, 'the bytes are stored once');
  assert.equal(failures.length, 1);
  assert.match(failures[0]!, /revision 4, deactivate S:acme:1.0 from node node-a: refused here/);
  assert.equal(b.progress().error, failures[0]);
  assert.equal(a.progress().error, undefined);

  // An entry no node can read is reported, and passed.
  await redis.rpush(`sleet:${cluster}:deployment:log`, '{not json');
  await redis.publish(`sleet:${cluster}:deployment`, '5');
  await waitUntil(() => b.progress().revision === 5, 'node B past the unreadable entry', 5000);
  assert.match(b.progress().error!, /^revision 5, an unreadable entry: /);

  // A node that joins later applies the whole log before follow() resolves.
  const late: DeploymentOperation[] = [];
  const c = node('node-c');
  await c.follow(
    async (op) => void late.push(op),
    () => undefined,
  );
  assert.equal(c.progress().revision, 5);
  assert.deepEqual(
    late.map((op) => op.kind),
    ['install', 'install', 'activate', 'deactivate'],
  );
});
