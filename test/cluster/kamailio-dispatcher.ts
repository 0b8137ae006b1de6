import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { freePort } from '../sip/interop/sipp-runner.js';
import { toolSkipReason } from '../helpers/tool-skip-reason.js';

/** The shipped configuration, in the source tree (tsc does not copy it into dist). */
const DISPATCHER_CONFIG = fileURLToPath(new URL('../../../deploy/kamailio/kamailio.cfg', import.meta.url));
const KAMAILIO = '/usr/sbin/kamailio';

/** True when Kamailio and SIPp are installed; under CI=true their absence fails the test, elsewhere it skips it. */
export function kamailioAndSippAvailable(t: TestContext): boolean {
  const missing = [
    existsSync(KAMAILIO) ? null : 'kamailio (apt-get install -y kamailio)',
    spawnSync('sipp', ['-v']).error ? 'sipp (apt-get install -y sip-tester)' : null,
  ].filter(Boolean);
  const reason = toolSkipReason(missing.length === 0, `not installed: ${missing.join(', ')}`);
  if (reason === undefined) return true;
  t.skip(reason);
  return false;
}

/** Kamailio with deploy/kamailio/kamailio.cfg on a free loopback port, dispatching to the given Sleet ports. */
export class KamailioDispatcher {
  private constructor(
    private readonly child: ChildProcess,
    readonly sipPort: number,
    private readonly workDir: string,
    private readonly output: string[],
  ) {}

  static async start(nodePorts: number[]): Promise<KamailioDispatcher> {
    const workDir = mkdtempSync(join(tmpdir(), 'sleet-kamailio-dispatcher-'));
    writeFileSync(join(workDir, 'dispatcher.list'), nodePorts.map((p) => `1 sip:127.0.0.1:${p}\n`).join(''));
    const sipPort = await freePort();
    const args = [
      '-f',
      DISPATCHER_CONFIG,
      '-DD',
      '-E',
      '-A',
      'WITH_CALL_LOG',
      '-l',
      `udp:127.0.0.1:${sipPort}`,
      '-Y',
      workDir,
      '-w',
      workDir,
      '-P',
      join(workDir, 'kamailio.pid'),
    ];
    const child = spawn(KAMAILIO, args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    const kamailio = new KamailioDispatcher(child, sipPort, workDir, output);
    const deadline = Date.now() + 15_000;
    while (!udpListening(sipPort)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`kamailio did not start: ${kamailio.log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return kamailio;
  }

  get log(): string {
    return this.output.join('');
  }

  /** Lines the config logs with WITH_CALL_LOG: `sleet-call …` and `sleet-failover …`. */
  lines(prefix: string): string[] {
    return this.log
      .split('\n')
      .filter((l) => l.includes(prefix))
      .map((l) => l.slice(l.indexOf(prefix)));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const timeout = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timeout);
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

function udpListening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/udp', 'utf8').includes(`0100007F:${hex} `);
}
