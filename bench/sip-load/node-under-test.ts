import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freeSipPort } from '../../resource-adaptors/sip/ra/free-sip-port.js';
import type { AllocationReading } from './heap-sampling.js';
import type { LoopDelay } from './node-probe.js';
import { processCpuMs, processRssKiB } from './proc-stats.js';
import { stopProcess } from './stop-process.js';

const thisDist = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const probeJs = join(thisDist, 'bench', 'sip-load', 'node-probe.js');

export const BENCH_DOMAIN = 'bench.test';

export interface NodeUnderTestOptions {
  /** Start with `--trusted 127.0.0.0/8` (no digest challenge for SIPp); false to challenge every request. */
  trusted: boolean;
  /** Subscribers user000001… to provision before the runs, password `pw-<user>`. */
  users?: number;
  /** Write a V8 CPU profile of the node into this directory when it stops. */
  cpuProfileDir?: string;
  /**
   * Another build's dist/ to run the node from (the baseline of an A/B
   * comparison); default this one. It must be a checkout's (a `git worktree`
   * with its dist built): the demo node builds its services from the
   * checkout's examples/, and without them it serves a cheaper path.
   */
  distRoot?: string;
  /** More Node.js flags for the node's process (an A/B of V8 settings, `--perf-basic-prof` for `perf`). */
  nodeArgs?: string[];
  /** The Node.js binary to run the node (and its CLI) with; default the one running the benchmark. Its build's native modules must be built for it. */
  execPath?: string;
  /** More `sleet start` flags (`--metrics off`, a cluster node's --cluster, --redis-url, --profiles-url). */
  extraArgs?: string[];
}

/** A Sleet node in its own process (`sleet start --demo`), as an operator runs it, measured from outside through /proc. */
export class NodeUnderTest {
  private constructor(
    private readonly child: ChildProcess,
    readonly dataDir: string,
    readonly sipPort: number,
    private readonly stderr: string[],
    /** The dist/ the node runs from: this build's or `NodeUnderTestOptions.distRoot`. */
    readonly distRoot: string,
  ) {}

  private nextRequest = 1;

  /** Throws unless `distRoot` is a checkout's dist/ (see `NodeUnderTestOptions.distRoot`). */
  static assertCheckout(distRoot: string): void {
    if (!existsSync(join(distRoot, '..', 'examples'))) {
      throw new Error(`${distRoot} is not the dist/ of a checkout: the demo services are built from its examples/, which is missing`);
    }
  }

  static async start(options: NodeUnderTestOptions): Promise<NodeUnderTest> {
    if (options.distRoot !== undefined) NodeUnderTest.assertCheckout(options.distRoot);
    const dataDir = mkdtempSync(join(tmpdir(), 'sleet-bench-'));
    const sipPort = await freeSipPort('127.0.0.1');
    // --no-memory-reducer: as the sleet command starts a node (docs/configuration.md, Node.js's own flags).
    const nodeArgs = ['--expose-gc', '--no-memory-reducer', '--import', pathToFileURL(probeJs).href];
    if (options.nodeArgs) nodeArgs.push(...options.nodeArgs);
    if (options.cpuProfileDir) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir);
    const dist = options.distRoot ?? thisDist;
    const main = join(dist, 'server', 'cli', 'main.js');
    const args = [
      ...nodeArgs,
      main,
      'start',
      '--demo',
      '--data-dir',
      dataDir,
      '--sip-port',
      String(sipPort),
      '--http-port',
      '0',
      '--management-port',
      '0',
      '--domain',
      BENCH_DOMAIN,
      '--log-level',
      'warn',
      ...(options.trusted ? ['--trusted', '127.0.0.0/8'] : []),
      ...(options.extraArgs ?? []),
    ];
    const execPath = options.execPath ?? process.execPath;
    const child = spawn(execPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const stderr: string[] = [];
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    const node = new NodeUnderTest(child, dataDir, sipPort, stderr, dist);
    // A node that did not start in time is stopped, not left running after the benchmark.
    await node.waitStarted().catch(async (err: unknown) => {
      await node.stop();
      throw err;
    });
    if (options.users) await node.provisionUsers(options.users, main, execPath);
    return node;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The node's management API base URL (for /metrics). */
  managementUrl(): string {
    return readFileSync(join(this.dataDir, 'management-url'), 'utf8').trim();
  }

  /** CPU time (user + system) the node has used so far, in ms. */
  cpuMs(): number {
    return processCpuMs(this.pid);
  }

  rssKiB(): number {
    return processRssKiB(this.pid);
  }

  /** The node's `process.memoryUsage()`, after a full GC when `gc` is set. */
  memory(gc: boolean): Promise<NodeJS.MemoryUsage> {
    return this.ask<NodeJS.MemoryUsage>({ memory: true, gc }, 'memory');
  }

  /** The node's event-loop delay since the last reset (`reset` starts a new window and returns the old one). */
  loopDelay(action: 'reset' | 'read'): Promise<LoopDelay> {
    return this.ask<LoopDelay>({ loopDelay: action }, 'loopDelay');
  }

  /** Starts sampling the node's allocations; `stop` returns what it allocated since, by site. */
  heapSampling(action: 'start'): Promise<null>;
  heapSampling(action: 'stop', top: number): Promise<AllocationReading>;
  heapSampling(action: 'start' | 'stop', top?: number): Promise<AllocationReading | null> {
    return this.ask<AllocationReading | null>({ heapSampling: action, ...(top === undefined ? {} : { top }) }, 'heapSampling');
  }

  /** How long each of `count` full collections took in the node, ms: the marking the old generation's collections do, for what lives now. */
  fullGcMs(count: number): Promise<number[]> {
    return this.ask<number[]>({ fullGc: count }, 'fullGc');
  }

  /** The URLs of every script the node has loaded: its own modules, its dependencies' and Node.js's. */
  loadedScripts(): Promise<string[]> {
    return this.ask<string[]>({ scripts: true }, 'scripts');
  }

  /** The node's `performance.now()`: ms since it started, about the clock of its V8 log. */
  now(): Promise<number> {
    return this.ask<number>({ now: true }, 'now');
  }

  /** One request to the preloaded probe, answered over IPC under the same id. */
  private ask<T>(request: Record<string, unknown>, field: string): Promise<T> {
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      const onMessage = (message: { id: number } & Record<string, unknown>) => {
        if (message.id !== id) return;
        this.child.off('message', onMessage);
        resolve(message[field] as T);
      };
      this.child.on('message', onMessage);
      this.child.send({ id, ...request }, (err) => err && reject(err));
    });
  }

  /** SIGTERM, wait for the exit (the CPU profile is written then), remove the data directory. */
  async stop(): Promise<void> {
    await stopProcess(this.child, 15_000);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** The management URL file is written last in startup, just before "sleet node started" (which a warn-level log does not show). */
  private async waitStarted(): Promise<void> {
    const deadline = Date.now() + 300_000;
    while (!existsSync(join(this.dataDir, 'management-url'))) {
      if (this.child.exitCode !== null) throw new Error(`node under test exited: ${this.stderr.join('')}`);
      if (Date.now() > deadline) throw new Error(`node under test did not start in 300 s: ${this.stderr.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private async provisionUsers(count: number, main: string, execPath: string): Promise<void> {
    const rows = ['profileName,address,username,password,displayName'];
    for (const user of benchUsers(count)) rows.push(`${user},sip:${user}@${BENCH_DOMAIN},${user},pw-${user},${user}`);
    const file = join(this.dataDir, 'bench-subscribers.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    await runCli(execPath, main, ['profile', 'import', 'subscribers', file, '--data-dir', this.dataDir]);
  }
}

/** The names of the provisioned bench users, in order. */
export function benchUsers(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `user${String(i + 1).padStart(6, '0')}`);
}

function runCli(execPath: string, main: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const cli = spawn(execPath, [main, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    cli.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    cli.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sleet ${args.join(' ')}: exit ${code}: ${stderr}`))));
  });
}
