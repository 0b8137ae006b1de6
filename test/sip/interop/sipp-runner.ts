import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolSkipReason } from '../../helpers/tool-skip-reason.js';

/** Scenarios live next to the sources; the compiled test runs from dist/. */
export const SCENARIOS = new URL('../../../../test/sip/interop/scenarios/', import.meta.url).pathname;

function sippAvailable(): boolean {
  return spawnSync('sipp', ['-v'], { stdio: 'ignore' }).error === undefined;
}

/** Why a SIPp test is skipped, or undefined to run it. Under CI a missing sipp is a failure, never a skip. */
export function sippSkipReason(): string | undefined {
  return toolSkipReason(sippAvailable(), 'sipp is not installed (apt-get install -y sip-tester)');
}

/** The kernel's ephemeral range starts here: ports it hands out to port-0 binds and outgoing connections. */
export function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

/** Whether `port` binds on 127.0.0.1 for TCP and for UDP right now. */
export async function bindsBoth(port: number): Promise<boolean> {
  const tcp = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  if (!tcp) return false;
  return new Promise<boolean>((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

const reservedHere = new Set<number>();

/**
 * Takes `port` for the rest of the run, or says another already has it. run-tests.mjs shares
 * one directory (SLEET_TEST_PORTS) among the processes running test files side by side, and a
 * file created there exclusively is the reservation; a test file run alone reserves in itself.
 */
export function reservePort(port: number): boolean {
  const dir = process.env['SLEET_TEST_PORTS'];
  if (dir === undefined) {
    if (reservedHere.has(port)) return false;
    reservedHere.add(port);
    return true;
  }
  try {
    closeSync(openSync(join(dir, String(port)), 'wx'));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * A port free for both UDP and TCP on 127.0.0.1, drawn below the ephemeral range: a port
 * found by binding 0 could be handed by the kernel to another socket (an outgoing connection
 * of a test running beside this one) before its user binds it. It is reserved before it is
 * tried, so no other test of the run draws it while its user (a node still starting, SIPp)
 * has yet to bind it.
 */
export async function freePort(): Promise<number> {
  const low = 20000;
  const high = Math.max(low + 1000, ephemeralLow());
  for (let tries = 0; tries < 4 * (high - low); tries++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (reservePort(port) && (await bindsBoth(port))) return port;
  }
  throw new Error(`no free port left between ${low} and ${high} in this test run`);
}

/**
 * Resolves once something listens on 127.0.0.1:port (a TCP listener, or a bound UDP socket), so a
 * SIPp UAS started in the background is up before its peer sends: on a busy machine an INVITE can
 * otherwise reach a port nobody holds yet, which a proxy rightly answers with 500.
 */
export async function listeningOn(port: number, tcp: boolean, timeoutMs = 10_000): Promise<void> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const deadline = Date.now() + timeoutMs;
  const bound = (): boolean =>
    tcp
      ? readFileSync('/proc/net/tcp', 'utf8')
          .split('\n')
          .some((line) => line.includes(`0100007F:${hex} `) && line.trim().split(/\s+/)[3] === '0A')
      : readFileSync('/proc/net/udp', 'utf8').includes(`0100007F:${hex} `);
  while (!bound()) {
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}/${tcp ? 'tcp' : 'udp'} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface SippRun {
  exitCode: number | null;
  successful: number;
  failed: number;
  errors: string;
}

export interface SippOptions {
  /** `-sn` built-in name or a file under scenarios/ for `-sf`. */
  scenario: { builtin: string } | { file: string };
  port: number;
  remote?: string;
  calls: number;
  tcp?: boolean;
  service?: string;
  /** `-key name value` pairs, substituted for `[name]` in the scenario. */
  keys?: Record<string, string>;
  /** More SIPp arguments, e.g. ['-r', '20', '-d', '1500'] for rate and call length. */
  extraArgs?: string[];
}

/** Runs SIPp to completion; statistics come from its -trace_screen dump, errors from -trace_err. */
export function runSipp(options: SippOptions): Promise<SippRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sleet-sipp-'));
  const args = [
    ...('builtin' in options.scenario ? ['-sn', options.scenario.builtin] : ['-sf', join(SCENARIOS, options.scenario.file)]),
    '-i',
    '127.0.0.1',
    '-p',
    String(options.port),
    '-m',
    String(options.calls),
    '-timeout',
    '20s',
    '-timeout_error',
    '-trace_err',
    '-error_file',
    join(dir, 'errors.log'),
    '-trace_screen',
    '-nostdin',
    '-s',
    options.service ?? 'service',
  ];
  if (options.tcp) args.push('-t', 't1');
  if (options.extraArgs) args.push(...options.extraArgs);
  for (const [key, value] of Object.entries(options.keys ?? {})) args.push('-key', key, value);
  if (options.remote !== undefined) args.unshift(options.remote);
  return new Promise((resolve, reject) => {
    const child = spawn('sipp', args, { cwd: dir, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => {
      const screen = readdirSync(dir).find((f) => f.endsWith('_screen.log'));
      const text = screen === undefined ? '' : readFileSync(join(dir, screen), 'utf8');
      const errorsPath = join(dir, 'errors.log');
      resolve({
        exitCode: code,
        successful: count(text, 'Successful call'),
        failed: count(text, 'Failed call'),
        errors: existsSync(errorsPath) ? readFileSync(errorsPath, 'utf8').slice(0, 2000) : '',
      });
    });
  });
}

/** The cumulative column of a SIPp screen statistics row. */
function count(screen: string, row: string): number {
  const match = new RegExp(`${row}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(screen);
  return match === null ? -1 : Number(match[1]);
}
