import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeSipPort } from '../../resource-adaptors/sip/ra/free-sip-port.js';
import { childrenCpuMs } from './proc-stats.js';
import { failureKinds, finalCounts, lastColumn, responseTimeline } from './sipp-statistics.js';

/** Where the scenario XML lives: in the source tree, as tsc does not copy it into dist. */
const SCENARIOS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'sip-load', 'scenarios');

export const SIPP_MISSING = 'sipp not found on PATH: install SIPp 3.6 (Debian/Ubuntu: apt-get install -y sip-tester) to run the SIPp load benchmarks';

export function sippAvailable(): boolean {
  try {
    execFileSync('sipp', ['-v'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // `sipp -v` exits non-zero after printing its version; only a missing binary is fatal.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export interface SippRun {
  scenario: string;
  /** Sleet's SIP address as SIPp's remote host. */
  target: string;
  rate: number;
  calls: number;
  /** Concurrent call limit (-l). */
  limit?: number;
  /** Length of `<pause/>` in the scenario, ms (-d). */
  pauseMs?: number;
  injectionFile?: string;
  /** -s: the user part of the request URI. */
  service?: string;
  keys?: Record<string, string>;
  /** Hard stop for the run (SIPp -timeout), ms. */
  timeoutMs: number;
}

export interface SippOutcome {
  successful: number;
  failed: number;
  elapsedMs: number;
  /** Every measured response time (rtd) in ms, one per completed call. */
  rttMs: number[];
  /** The same, each with when SIPp measured it (ms on SIPp's clock). */
  rttTimeline: Array<{ atMs: number; ms: number }>;
  /** CPU time (user + system) SIPp itself used over the run, in ms. */
  cpuMs: number;
  /** How calls failed and what SIPp retransmitted (failureKinds): one failed call in a soak says why. */
  failures: Record<string, number>;
}

const RATE_PERIOD_MS = 1000;

const CPU_FILE = 'sipp-cpu.stat';

/**
 * SIPp's socket buffers (-buff_size), as large as the node's: with SIPp's
 * 64 KB default, its own sockets dropped responses in bursts above 2,000
 * cps (/proc/net/udp), and the 500 ms retransmissions showed up as Sleet's
 * p99. Linux caps it at net.core.rmem_max.
 */
const SIPP_BUFFER_BYTES = String(4 * 1024 * 1024);

function sippArgs(run: SippRun, localPort: number): string[] {
  const args = [
    run.target,
    '-sf',
    join(SCENARIOS_DIR, run.scenario),
    '-i',
    '127.0.0.1',
    '-p',
    String(localPort),
    '-t',
    'u1',
    '-r',
    String(run.rate),
    '-rp',
    String(RATE_PERIOD_MS),
    '-m',
    String(run.calls),
    '-nostdin',
    '-nd',
    '-timeout',
    `${Math.ceil(run.timeoutMs / 1000)}s`,
    '-timeout_error',
    '-trace_stat',
    '-fd',
    '1',
    '-trace_rtt',
    '-rtt_freq',
    '1',
    '-max_socket',
    '1000',
    '-buff_size',
    SIPP_BUFFER_BYTES,
  ];
  if (run.limit !== undefined) args.push('-l', String(run.limit));
  if (run.pauseMs !== undefined) args.push('-d', String(run.pauseMs));
  if (run.injectionFile) args.push('-inf', run.injectionFile);
  if (run.service) args.push('-s', run.service);
  for (const [key, value] of Object.entries(run.keys ?? {})) args.push('-key', key, value);
  return args;
}

/** A SIPp client run under way: its live call count, and its outcome once it ends. */
export interface SippHandle {
  /** Calls in progress at the last per-second statistics line (0 before the first). */
  currentCalls(): number;
  finished: Promise<SippOutcome>;
}

/** Starts a SIPp client scenario that ends after -m calls. */
export async function startSipp(run: SippRun): Promise<SippHandle> {
  const workDir = mkdtempSync(join(tmpdir(), 'sleet-sipp-'));
  const localPort = await freeSipPort('127.0.0.1');
  const started = Date.now();
  // The shell waits for SIPp and then records its own stat line, whose cutime and cstime hold SIPp's CPU once it has ended.
  const child = spawn('sh', ['-c', `sipp "$@"; rc=$?; cat /proc/$$/stat > ${CPU_FILE}; exit $rc`, 'sipp', ...sippArgs(run, localPort)], {
    cwd: workDir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const statCsv = () => {
    const statFile = readdirSync(workDir).find((f) => f.endsWith('_.csv'));
    return statFile ? readFileSync(join(workDir, statFile), 'utf8') : undefined;
  };
  const finished = (async () => {
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (c) => resolve(c));
      });
      const elapsedMs = Date.now() - started;
      const csv = statCsv();
      if (!csv) throw new Error(`sipp ${run.scenario} (exit ${code}) wrote no statistics: ${stderr}`);
      const { successful, failed } = finalCounts(csv);
      const rttFile = readdirSync(workDir).find((f) => f.endsWith('_rtt.csv'));
      const rttTimeline = rttFile ? responseTimeline(readFileSync(join(workDir, rttFile), 'utf8')) : [];
      return {
        successful,
        failed,
        elapsedMs,
        rttMs: rttTimeline.map((r) => r.ms),
        rttTimeline,
        cpuMs: childrenCpuMs(readFileSync(join(workDir, CPU_FILE), 'utf8')),
        failures: failureKinds(csv),
      };
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  })();
  return {
    currentCalls: () => {
      const csv = statCsv();
      return csv && csv.includes('\n') ? lastColumn(csv, 'CurrentCall') : 0;
    },
    finished,
  };
}

/** Runs a SIPp client scenario to its end (-m calls) and reads its final statistics and response times. */
export async function runSipp(run: SippRun): Promise<SippOutcome> {
  return (await startSipp(run)).finished;
}

/** A SIPp server scenario (the callee) running in the background until stopped. */
export class SippServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly workDir: string,
  ) {}

  static async start(scenario: string): Promise<SippServer> {
    const workDir = mkdtempSync(join(tmpdir(), 'sleet-sipp-uas-'));
    const port = await freeSipPort('127.0.0.1');
    const child = spawn(
      'sipp',
      [
        '-sf',
        join(SCENARIOS_DIR, scenario),
        '-i',
        '127.0.0.1',
        '-p',
        String(port),
        '-t',
        'u1',
        '-nostdin',
        '-nd',
        '-max_socket',
        '1000',
        '-buff_size',
        SIPP_BUFFER_BYTES,
      ],
      {
        cwd: workDir,
        stdio: 'ignore',
      },
    );
    // SIPp binds synchronously at start; a short wait covers process start-up.
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (child.exitCode !== null) throw new Error(`sipp ${scenario} exited at start (${child.exitCode})`);
    return new SippServer(child, port, workDir);
  }

  get pid(): number {
    return this.child.pid!;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
