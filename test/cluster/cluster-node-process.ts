import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../sip/interop/sipp-runner.js';
import { REDIS_URL } from '../timers/redis-for-tests.js';

export const SLEET_MAIN = fileURLToPath(new URL('../../server/cli/main.js', import.meta.url));

/** `sleet start --cluster …` as a child process, so that a test can SIGKILL it. */
export interface ClusterNodeProcess {
  readonly id: string;
  readonly sipPort: number;
  readonly dataDir: string;
  readonly managementUrl: string;
  readonly token: string;
  readonly pid: number;
  readonly exitCode: number | null;
  readonly log: string;
  /** A management API call, with the node's token. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterNodeProcessOptions {
  cluster: string;
  id: string;
  profilesUrl?: string;
  /** `--redis-url`: one URL or a Redis Cluster's comma-separated seed list; default the test Redis. */
  redisUrl?: string;
  /** More `sleet start` flags. */
  args?: string[];
  /** A node restarting: its SIP port and data directory. */
  sipPort?: number;
  dataDir?: string;
}

export async function startClusterNodeProcess(options: ClusterNodeProcessOptions): Promise<ClusterNodeProcess> {
  const sipPort = options.sipPort ?? (await freePort());
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), `sleet-cluster-${options.id}-`)));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLEET_')));
  const args = [
    SLEET_MAIN,
    'start',
    '--cluster',
    options.cluster,
    '--node-id',
    options.id,
    '--redis-url',
    options.redisUrl ?? REDIS_URL,
    '--data-dir',
    dataDir,
    '--management-port',
    '0',
    '--sip-port',
    String(sipPort),
    '--http-port',
    '0',
    '--log-level',
    'info',
    '--trusted',
    '127.0.0.0/8',
    '--domain',
    '127.0.0.1',
    ...(options.profilesUrl ? ['--profiles-url', options.profilesUrl] : []),
    ...(options.args ?? []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: clean });
  let log = '';
  let exitCode: number | null = null;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => ((exitCode = code ?? (signal ? 128 : 1)), resolve())));
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!log.includes('joined cluster')) {
    if (exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sleet start --cluster did not join (exit ${exitCode}):\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const managementUrl = (await readFile(join(dataDir, 'management-url'), 'utf8')).trim();
  const token = (await readFile(join(dataDir, 'management-token'), 'utf8')).trim();
  return {
    id: options.id,
    sipPort,
    dataDir,
    managementUrl,
    token,
    pid: child.pid!,
    get exitCode() {
      return exitCode;
    },
    get log() {
      return log;
    },
    async api(method, path, body) {
      const response = await fetch(`${managementUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, json: await response.json().catch(() => null) };
    },
    async kill(signal = 'SIGKILL') {
      if (exitCode === null) child.kill(signal);
      await exited;
    },
    async stop() {
      if (exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
