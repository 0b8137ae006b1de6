import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeSipPort } from '../../resource-adaptors/sip/ra/free-sip-port.js';
import { KAMAILIO_BINARY } from './kamailio-under-test.js';

/** The shipped dispatcher configuration, in the source tree. */
const DISPATCHER_CONFIG = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'deploy', 'kamailio', 'kamailio.cfg');

/** Kamailio with deploy/kamailio/kamailio.cfg in front of Sleet nodes on 127.0.0.1, `children` UDP workers. */
export class DispatcherUnderTest {
  private constructor(
    private readonly child: ChildProcess,
    readonly sipPort: number,
    private readonly workDir: string,
    private readonly output: string[],
  ) {}

  static async start(nodePorts: number[], children: number): Promise<DispatcherUnderTest> {
    const workDir = mkdtempSync(join(tmpdir(), 'sleet-bench-dispatcher-'));
    writeFileSync(join(workDir, 'dispatcher.list'), nodePorts.map((p) => `1 sip:127.0.0.1:${p}\n`).join(''));
    const sipPort = await freeSipPort('127.0.0.1');
    const args = [
      '-f',
      DISPATCHER_CONFIG,
      '-DD',
      '-E',
      '-A',
      `CHILDREN=${children}`,
      '-l',
      `udp:127.0.0.1:${sipPort}`,
      '-Y',
      workDir,
      '-w',
      workDir,
      '-P',
      join(workDir, 'kamailio.pid'),
    ];
    const child = spawn(KAMAILIO_BINARY, args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    const dispatcher = new DispatcherUnderTest(child, sipPort, workDir, output);
    const deadline = Date.now() + 20_000;
    const hex = sipPort.toString(16).toUpperCase().padStart(4, '0');
    while (!readFileSync('/proc/net/udp', 'utf8').includes(`0100007F:${hex} `)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the dispatcher did not start: ${output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Its first probes mark the nodes up.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return dispatcher;
  }

  get pid(): number {
    return this.child.pid!;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const timeout = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timeout);
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
