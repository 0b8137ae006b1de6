import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS } from '../sip/interop/sipp-runner.js';

/** A SIPp run in the background: a UAS answering until stopped, or a UAC load whose counts come from its screen dump. */
export class SippProcess {
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => ((this.exitCode = code), resolve())));
  }

  static start(scenario: string, port: number, args: string[]): SippProcess {
    const dir = mkdtempSync(join(tmpdir(), 'sleet-cluster-sipp-'));
    const all = [
      '-sf',
      join(SCENARIOS, scenario),
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-nostdin',
      '-trace_screen',
      '-trace_err',
      '-error_file',
      join(dir, 'errors.log'),
      ...args,
    ];
    return new SippProcess(spawn('sipp', all, { cwd: dir, stdio: 'ignore' }), dir);
  }

  /** Resolves with SIPp's successful and failed call counts once it has finished on its own. */
  async finished(): Promise<{ exitCode: number | null | undefined; successful: number; failed: number; errors: string }> {
    await this.exited;
    const screen = readdirSync(this.dir).find((f) => f.endsWith('_screen.log'));
    const text = screen === undefined ? '' : readFileSync(join(this.dir, screen), 'utf8');
    let errors = '';
    try {
      errors = readFileSync(join(this.dir, 'errors.log'), 'utf8').slice(0, 3000);
    } catch {
      // No error log: no errors.
    }
    return { exitCode: this.exitCode, successful: count(text, 'Successful call'), failed: count(text, 'Failed call'), errors };
  }

  async stop(): Promise<void> {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
    await this.exited;
  }
}

function count(screen: string, row: string): number {
  const match = new RegExp(`${row}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(screen);
  return match === null ? -1 : Number(match[1]);
}
