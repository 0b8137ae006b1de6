import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeSipPort } from '../../resource-adaptors/sip/ra/free-sip-port.js';
import { processTree } from './process-tree.js';

/** The shipped configuration, in the source tree (tsc does not copy it into dist). */
const KAMAILIO_CONFIG = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'kamailio', 'kamailio.cfg');

export const KAMAILIO_BINARY = process.env.SLEET_BENCH_KAMAILIO ?? '/usr/sbin/kamailio';

export const KAMAILIO_MISSING = `kamailio not found at ${KAMAILIO_BINARY}: install Kamailio 5.6 (Debian/Ubuntu: apt-get install -y kamailio) or set SLEET_BENCH_KAMAILIO`;

export function kamailioAvailable(): boolean {
  return existsSync(KAMAILIO_BINARY);
}

/**
 * Shared memory for the reference, in MiB (`-m`). Kamailio's default of 64 MiB
 * held too few transactions from 500 calls/s on: tm failed to allocate and
 * answered 500, and those calls counted as Kamailio's failures. A production
 * deployment sizes it for its load, and so does the bench.
 */
export const KAMAILIO_SHM_MIB = 1024;

/**
 * Kamailio with bench/kamailio/kamailio.cfg on a free UDP port of 127.0.0.1,
 * in the foreground (-DD) so it stops with the bench, with `children` UDP
 * workers. Its CPU is the sum over the attendant and every process it forked.
 */
export class KamailioUnderTest {
  private constructor(
    private readonly child: ChildProcess,
    readonly sipPort: number,
    private readonly workDir: string,
    private readonly output: string[],
  ) {}

  static async start(children: number, shmMiB = KAMAILIO_SHM_MIB): Promise<KamailioUnderTest> {
    const workDir = mkdtempSync(join(tmpdir(), 'sleet-kamailio-'));
    const sipPort = await freeSipPort('127.0.0.1');
    const args = [
      '-f',
      KAMAILIO_CONFIG,
      '-DD',
      '-E',
      '-m',
      String(shmMiB),
      '-l',
      `udp:127.0.0.1:${sipPort}`,
      '-A',
      `BENCH_CHILDREN=${children}`,
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
    const kamailio = new KamailioUnderTest(child, sipPort, workDir, output);
    await kamailio.waitListening();
    return kamailio;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The error lines Kamailio has logged (its config logs errors only): a reference that fails for its own reasons says so. */
  errorLines(): string[] {
    return this.output
      .join('')
      .split('\n')
      .filter((line) => line.includes(' ERROR: '));
  }

  /** The attendant and its workers (UDP receivers, timers). */
  pids(): number[] {
    return processTree(this.pid);
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

  /** Listening once the UDP port shows in `ss`; the attendant forks its workers just before. */
  private async waitListening(): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`kamailio exited at start (${this.child.exitCode}): ${this.output.join('')}`);
      if (udpListening(this.sipPort) && this.pids().length > 1) return;
      if (Date.now() > deadline) throw new Error(`kamailio did not listen in 20 s: ${this.output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function udpListening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/udp', 'utf8').includes(`0100007F:${hex} `);
}
