import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processTree } from './process-tree.js';
import { stopProcess } from './stop-process.js';

const KAMAILIO_BINARY = process.env.SLEET_BENCH_KAMAILIO ?? '/usr/sbin/kamailio';

export const KAMAILIO_MISSING = `kamailio not found at ${KAMAILIO_BINARY}: install Kamailio 5.6 (Debian/Ubuntu: apt-get install -y kamailio) or set SLEET_BENCH_KAMAILIO`;

export function kamailioAvailable(): boolean {
  return existsSync(KAMAILIO_BINARY);
}

export interface KamailioStart {
  /** The configuration file (`-f`). */
  config: string;
  /** The UDP port it listens on, on 127.0.0.1. */
  sipPort: number;
  /** More command-line options, such as `-A NAME=value` defines and `-m` shared memory. */
  args: string[];
  /** Files written into its work directory before it starts, by name (a dispatcher list). */
  files?: Record<string, string>;
}

/**
 * Kamailio in the foreground (-DD, so it stops with whoever started it), logging to stderr (-E),
 * with a work directory of its own for its runtime files. Started once its UDP port is bound and
 * its attendant has forked the workers; its CPU is the sum over the attendant and every process it
 * forked (`pids()`).
 */
export class KamailioProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly sipPort: number,
    private readonly workDir: string,
    private readonly output: string[],
  ) {}

  static async start(options: KamailioStart): Promise<KamailioProcess> {
    const workDir = mkdtempSync(join(tmpdir(), 'sleet-kamailio-'));
    for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(workDir, name), text);
    const args = ['-f', options.config, '-DD', '-E', ...options.args];
    args.push('-l', `udp:127.0.0.1:${options.sipPort}`, '-Y', workDir, '-w', workDir, '-P', join(workDir, 'kamailio.pid'));
    const child = spawn(KAMAILIO_BINARY, args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    const kamailio = new KamailioProcess(child, options.sipPort, workDir, output);
    try {
      await kamailio.listening();
    } catch (error) {
      await kamailio.stop();
      throw error;
    }
    return kamailio;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** All it has logged so far. */
  get log(): string {
    return this.output.join('');
  }

  /** The error lines it has logged: a reference that fails for its own reasons says so. */
  errorLines(): string[] {
    return this.log.split('\n').filter((line) => line.includes(' ERROR: '));
  }

  /** Lines its configuration logged with `prefix`, each from the prefix on. */
  lines(prefix: string): string[] {
    return this.log
      .split('\n')
      .filter((line) => line.includes(prefix))
      .map((line) => line.slice(line.indexOf(prefix)));
  }

  /** The attendant and its workers (UDP receivers, timers). */
  pids(): number[] {
    return processTree(this.pid);
  }

  async stop(): Promise<void> {
    await stopProcess(this.child, 10_000);
    rmSync(this.workDir, { recursive: true, force: true });
  }

  /** Listening once the UDP port shows in /proc/net/udp; the attendant forks its workers just before. */
  private async listening(): Promise<void> {
    const deadline = Date.now() + 20_000;
    const hex = this.sipPort.toString(16).toUpperCase().padStart(4, '0');
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`kamailio exited at start (${this.child.exitCode}): ${this.log}`);
      if (readFileSync('/proc/net/udp', 'utf8').includes(`0100007F:${hex} `) && this.pids().length > 1) return;
      if (Date.now() > deadline) throw new Error(`kamailio did not listen in 20 s: ${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
