import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { redisAvailable, waitUntil } from '../timers/redis-for-tests.js';
import { removeClusterKeysOf, uniqueClusterName } from './replication-fixture.js';
import { SLEET_MAIN, startClusterNodeProcess, type ClusterNodeProcess } from './cluster-node-process.js';
import { sendOptions } from './sip-options.js';
import { hostname } from 'node:os';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { ClusterManagement } from '../../server/management/cluster-management.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';

type Advert = { id: string; state: string; calls: number; version: string; sip: string };

test('two nodes join a cluster: each advertises itself with a time to live, answers OPTIONS with its state, and drains', async (t) => {
  if (!(await redisAvailable(t))) return;
  const cluster = uniqueClusterName();
  const nodes: ClusterNodeProcess[] = [];
  t.after(async () => {
    for (const n of nodes) await n.kill();
    await removeClusterKeysOf(cluster);
  });
  nodes.push(await startClusterNodeProcess({ cluster, id: 'node-a' }));
  nodes.push(await startClusterNodeProcess({ cluster, id: 'node-b' }));
  const [a, b] = nodes as [ClusterNodeProcess, ClusterNodeProcess];

  const listed = await a.api('GET', '/cluster/nodes');
  assert.equal(listed.status, 200);
  const adverts = listed.json as Advert[];
  assert.deepEqual(
    adverts.map((n) => [n.id, n.state, n.sip]),
    [
      ['node-a', 'open', `127.0.0.1:${a.sipPort}`],
      ['node-b', 'open', `127.0.0.1:${b.sipPort}`],
    ],
  );
  assert.ok(adverts.every((n) => typeof n.calls === 'number' && n.version.length > 0));

  const cli = spawnSync(process.execPath, [SLEET_MAIN, 'cluster', 'status', '--data-dir', b.dataDir], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /^NODE\s+STATE\s+CALLS\s+VERSION\s+SIP\s+DEPLOYMENT\s+SEEN$/m);
  assert.match(cli.stdout, /^node-a\s+open\s+\d+\s+\S+\s+127\.0\.0\.1:\d+\s+r0\s/m, "each node's deployment revision: none yet");
  assert.match(cli.stdout, /^node-b\s+open\s+/m);

  const open = await sendOptions(a.sipPort);
  assert.equal(open.status, 200);
  assert.match(open.headers.get('x-sleet-node') ?? '', /^node-a; state=open; calls=\d+$/);

  const drained = spawnSync(process.execPath, [SLEET_MAIN, 'cluster', 'drain', '--data-dir', a.dataDir], { encoding: 'utf8' });
  assert.equal(drained.status, 0, drained.stderr);
  const draining = await sendOptions(a.sipPort);
  assert.equal(draining.status, 503, 'a draining node fails the dispatcher probe, so it gets no new calls');
  assert.match(draining.headers.get('x-sleet-node') ?? '', /^node-a; state=draining; calls=\d+$/);
  assert.equal(((await b.api('GET', '/cluster/nodes')).json as Advert[]).find((n) => n.id === 'node-a')?.state, 'draining', 'the other node sees it draining');
  assert.equal((await a.api('POST', '/cluster/open')).status, 200);
  assert.equal((await sendOptions(a.sipPort)).status, 200);

  const killedAt = Date.now();
  await b.kill('SIGKILL');
  await waitUntil(
    async () => ((await a.api('GET', '/cluster/nodes')).json as Advert[]).length === 1,
    'the killed node to leave the list when its advert expires',
    10_000,
  );
  const gone = Date.now() - killedAt;
  assert.ok(gone <= 4_000, `a dead node leaves the list within its advert's 3 s time to live (took ${gone} ms)`);
});

test('a cluster needs Redis, and a node outside one says so when asked for its cluster', async () => {
  assert.throws(
    () => resolveNodeConfig({ flags: { cluster: 'prod' }, env: {} }),
    (err) => SleetError.is(err, ErrorCode.CONFIG_INVALID) && /--cluster: a cluster keeps its state in Redis/.test(err.message),
  );
  assert.throws(
    () => resolveNodeConfig({ flags: { cluster: 'prod/1', redisUrl: 'redis://127.0.0.1:6379' }, env: {} }),
    (err) => SleetError.is(err, ErrorCode.CONFIG_INVALID),
  );
  const config = resolveNodeConfig({ flags: { cluster: 'prod', redisUrl: 'redis://127.0.0.1:6379', sipPort: 5071 }, env: {} });
  assert.equal(config.nodeId, `${hostname()}:5071`);
  await assert.rejects(new ClusterManagement(undefined).nodes(), (err) => SleetError.is(err, ErrorCode.INVALID_STATE));
});
