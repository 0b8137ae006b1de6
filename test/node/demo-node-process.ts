import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../sip/interop/sipp-runner.js';

const MAIN = fileURLToPath(new URL('../../server/cli/main.js', import.meta.url));

/** `sleet start --demo` as a child process, so that a crash ends that process and not the test's. */
export interface DemoNodeProcess {
  readonly httpUrl: string;
  readonly sipPort: number;
  /** The exit code once the process has exited, null while it runs. */
  readonly exitCode: number | null;
  /** Everything the node wrote to stdout and stderr. */
  readonly log: string;
  stop(): Promise<void>;
}

export async function startDemoNodeProcess(): Promise<DemoNodeProcess> {
  const [sipPort, httpPort] = [await freePort(), await freePort()];
  const dataDir = await mkdtemp(join(tmpdir(), 'sleet-guard-'));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLEET_')));
  const args = [
    MAIN,
    'start',
    '--demo',
    '--data-dir',
    dataDir,
    '--management-port',
    '0',
    '--sip-port',
    String(sipPort),
    '--http-port',
    String(httpPort),
    '--log-level',
    'warn',
  ];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: clean });
  let log = '';
  let exitCode: number | null = null;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => ((exitCode = code ?? (signal ? 128 : 1)), resolve())));
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  // The node is up once the demo services answer: POST /calls without a body is refused by its schema.
  for (;;) {
    if (exitCode !== null) throw new Error(`sleet start --demo exited with ${exitCode}:\n${log}`);
    const status = await fetch(`${httpUrl}/calls`, { method: 'POST' }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 400) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    httpUrl,
    sipPort,
    get exitCode() {
      return exitCode;
    },
    get log() {
      return log;
    },
    async stop() {
      if (exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
