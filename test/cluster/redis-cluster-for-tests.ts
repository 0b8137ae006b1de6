import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { bindsBoth, ephemeralLow, reservePort } from '../sip/interop/sipp-runner.js';
import { toolSkipReason } from '../helpers/tool-skip-reason.js';

/** A real 3-master Redis Cluster on 127.0.0.1, started for one test. */
export interface RedisClusterForTests {
  /** `redis://127.0.0.1:<port>` of each master: the seed URLs. */
  urls: string[];
  /** One plain client per master, for per-shard checks (DBSIZE, CLUSTER KEYSLOT). */
  masters: Redis[];
  stop(): Promise<void>;
}

function tool(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Why the Redis Cluster tests cannot run, or undefined when they can. Under
 * CI=true the tools are required: a missing one fails the test rather than
 * skipping it.
 */
function redisClusterSkipReason(): string | undefined {
  const missing = ['redis-server', 'redis-cli'].filter((name) => !tool(name));
  return toolSkipReason(missing.length === 0, `${missing.join(' and ')} not installed (apt-get install -y redis-server)`);
}

/** True when the test may start a Redis Cluster; otherwise it is skipped with the reason. */
function redisClusterAvailable(t: TestContext): boolean {
  const reason = redisClusterSkipReason();
  if (reason === undefined) return true;
  t.skip(reason);
  return false;
}

/** A node that exited while starting: its ports were taken meanwhile, or it failed outright (its output says which). */
class NodeExited extends Error {}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = await check().catch((err: unknown) => {
      if (err instanceof NodeExited) throw err;
      return false;
    });
    if (done) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The cluster bus listens on a node's port + 10000. */
const BUS_OFFSET = 10_000;

/**
 * Three ports whose bus ports are free too and below the kernel's ephemeral
 * range: a bus port inside it can be taken by any outgoing connection
 * between the check and redis-server's bind, and the node then exits. Both are reserved for
 * the run, so no other test draws them meanwhile.
 */
async function clusterPorts(): Promise<number[]> {
  const low = 20_000;
  const high = Math.max(low + 1000, ephemeralLow() - BUS_OFFSET);
  const ports: number[] = [];
  while (ports.length < 3) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (reservePort(port) && reservePort(port + BUS_OFFSET) && (await bindsBoth(port)) && (await bindsBoth(port + BUS_OFFSET))) ports.push(port);
  }
  return ports;
}

/** Starts a Redis Cluster, with new ports when a node could not start on the ones it was given (a port taken meanwhile). */
async function startRedisCluster(): Promise<RedisClusterForTests> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRedisClusterOnce();
    } catch (err) {
      if (!(err instanceof NodeExited) || attempt === 3) throw err;
    }
  }
}

/** Starts three redis-server processes in cluster mode, joins them into one cluster with no replicas, and waits until every node says the cluster is ok. */
async function startRedisClusterOnce(): Promise<RedisClusterForTests> {
  const dir = await mkdtemp(join(tmpdir(), 'sleet-redis-cluster-'));
  const processes: ChildProcess[] = [];
  const masters: Redis[] = [];
  const stop = async () => {
    for (const m of masters) m.disconnect();
    await Promise.all(
      processes.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGKILL');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ports = await clusterPorts();
    const output = new Map<number, string>();
    for (const port of ports) {
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir);
      const args = [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        'nodes.conf',
        '--save',
        '',
        '--appendonly',
        'no',
        '--bind',
        '127.0.0.1',
        '--port',
        String(port),
        '--dir',
        nodeDir,
      ];
      const node = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      output.set(port, '');
      const keep = (chunk: Buffer) => output.set(port, (output.get(port)! + chunk.toString('utf8')).slice(-2000));
      node.stdout!.on('data', keep);
      node.stderr!.on('data', keep);
      processes.push(node);
    }
    for (const [i, port] of ports.entries()) {
      const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
      masters.push(redis);
      const node = processes[i]!;
      await until(async () => {
        if (node.exitCode !== null) throw new NodeExited(`redis-server on port ${port} exited (${node.exitCode}): ${output.get(port)}`);
        return (await redis.ping()) === 'PONG';
      }, `redis-server on port ${port}`);
    }
    const create = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
    for (const m of masters) {
      await until(async () => /cluster_state:ok/.test(String(await m.call('CLUSTER', 'INFO'))), 'cluster_state:ok on every node');
    }
    return { urls: ports.map((p) => `redis://127.0.0.1:${p}`), masters, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Every key matching the pattern, on every master. */
export async function clusterKeys(cluster: RedisClusterForTests, pattern: string): Promise<string[][]> {
  return Promise.all(cluster.masters.map((m) => m.keys(pattern)));
}

/**
 * One real Redis Cluster for a test file, started before its tests and
 * stopped after them; the returned function gives it to a test, or skips
 * the test (fails it under CI=true) when the tools are missing.
 */
export function redisClusterForFile(): (t: TestContext) => RedisClusterForTests | null {
  let redisCluster: RedisClusterForTests | null = null;
  before(async () => {
    if (redisClusterSkipReason() === undefined) redisCluster = await startRedisCluster();
  });
  after(async () => {
    await redisCluster?.stop();
  });
  return (t) => {
    if (!redisClusterAvailable(t)) return null;
    assert.ok(redisCluster, 'the Redis Cluster started');
    return redisCluster;
  };
}
