import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REDIS_URL } from '../timers/redis-for-tests.js';

const SLEET_MAIN = fileURLToPath(new URL('../../server/cli/main.js', import.meta.url));

/** `sleet start --workers=N --demo` as a child process: its primary's log, and each worker's pid and management URL. */
export class WorkersProcess {
  private log = '';
  private exitCode: number | null = null;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly dataDir: string,
    readonly sipPort: number,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => ((this.exitCode = code ?? (signal ? 128 : 1)), resolve())));
    child.stdout!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
  }

  static async start(workers: number, sipPort: number, args: string[] = []): Promise<WorkersProcess> {
    const dataDir = await mkdtemp(join(tmpdir(), 'sleet-workers-'));
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLEET_')));
    const child = spawn(
      process.execPath,
      [
        SLEET_MAIN,
        'start',
        `--workers=${workers}`,
        '--redis-url',
        REDIS_URL,
        '--demo',
        '--data-dir',
        dataDir,
        '--sip-port',
        String(sipPort),
        '--management-port',
        '0',
        '--http-port',
        '0',
        '--trusted',
        '127.0.0.0/8',
        '--domain',
        '127.0.0.1',
        '--log-format',
        'json',
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: clean },
    );
    const started = new WorkersProcess(child, dataDir, sipPort);
    await started.until(() => started.output.includes(`"msg":"${workers} workers serving"`), 'the workers');
    return started;
  }

  get output(): string {
    return this.log;
  }

  /** The pid in the last "worker <index> ready" line of the primary. */
  workerPid(index: number): number {
    const lines = this.log.split('\n').filter((l) => l.includes(`"msg":"worker ${index} ready"`));
    const last = lines.at(-1);
    if (last === undefined) throw new Error(`worker ${index} never reported ready`);
    return (JSON.parse(last) as { pid: number }).pid;
  }

  /** How many times worker `index` has reported ready. */
  readyCount(index: number): number {
    return this.log.split('\n').filter((l) => l.includes(`"msg":"worker ${index} ready"`)).length;
  }

  /** Worker 0 keeps the data directory; the others are under workers/<index>. */
  async managementUrl(index: number): Promise<string> {
    const dir = index === 0 ? this.dataDir : join(this.dataDir, 'workers', String(index));
    return (await readFile(join(dir, 'management-url'), 'utf8')).trim();
  }

  /** A management API call to worker `index`, with its token; the parsed JSON answer. */
  async api(index: number, method: string, path: string): Promise<unknown> {
    const dir = index === 0 ? this.dataDir : join(this.dataDir, 'workers', String(index));
    const token = (await readFile(join(dir, 'management-token'), 'utf8')).trim();
    const response = await fetch(`${await this.managementUrl(index)}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  /** Polls the log; the deadline only turns a hang into a failure. */
  async until(condition: () => boolean, what: string, ms = 120_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (this.exitCode !== null) throw new Error(`sleet start --workers exited (${this.exitCode}) waiting for ${what}:\n${this.log.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`waiting for ${what} timed out:\n${this.log.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<number | null> {
    if (this.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
    return this.exitCode;
  }
}
