import { percentile } from './percentile.js';
import { processCpuMs, processCpuSplitMs, processSleeps } from './proc-stats.js';
import { processTree } from './process-tree.js';
import { runSipp, type SippRun, type SippServer } from './sipp.js';

/** A proxy measured from outside: its name, its SIP address and the root of its processes. */
export interface SystemUnderTest {
  name: string;
  target: string;
  pid: number;
  /** Other processes of the system (the nodes behind a dispatcher), their CPU summed with the root's. */
  otherPids?: number[];
  /** The callee SIPp registered at this proxy. */
  uas: SippServer;
}

/** One SIPp run against one proxy, with the CPU per completed call of every process involved. */
export interface SystemStep {
  system: string;
  offered: number;
  calls: number;
  successful: number;
  /** Failed calls plus calls never completed by the run's end. */
  failed: number;
  /** Calls with an INVITE→200 sample: all successful ones, except those a scenario ends on a 503 (`uac-call-or-503.xml`). */
  admitted: number;
  achieved: number;
  elapsedMs: number;
  /** The proxy's processes together, ms of CPU per completed call. */
  proxyMsPerCall: number;
  /** Each of the proxy's processes (`<comm>[<pid>]`), ms per completed call. */
  byProcessMsPerCall: Record<string, number>;
  /** `proxyMsPerCall` split into user and system (kernel) time. */
  proxyUserMsPerCall: number;
  proxySystemMsPerCall: number;
  /** Times a thread of the proxy went to sleep, per completed call: roughly its wake-ups (`processSleeps`). */
  proxySleepsPerCall: number;
  sippUacMsPerCall: number;
  sippUasMsPerCall: number;
  p50Ms: number;
  p99Ms: number;
  /** SIPp's failure counters by kind, and its retransmissions (failureKinds). */
  failures: Record<string, number>;
}

interface ProcessUse {
  userMs: number;
  systemMs: number;
  sleeps: number;
}

function useByPid(pids: number[]): Map<number, ProcessUse> {
  const use = new Map<number, ProcessUse>();
  for (const pid of pids) {
    try {
      use.set(pid, { ...processCpuSplitMs(pid), sleeps: processSleeps(pid) });
    } catch {
      // A process that ended between the listing and the read used no CPU this step.
    }
  }
  return use;
}

function per(ms: number, calls: number): number {
  return Math.round((ms / Math.max(1, calls)) * 1000) / 1000;
}

/** SIPp uac at `run.rate` for `run.calls` calls; the proxy's and the callee's CPU read from /proc before and after. */
export async function systemStep(system: SystemUnderTest, run: Omit<SippRun, 'target'>): Promise<SystemStep> {
  const pids = [system.pid, ...(system.otherPids ?? [])].flatMap((pid) => processTree(pid));
  const before = useByPid(pids);
  const uasBefore = processCpuMs(system.uas.pid);
  const outcome = await runSipp({ ...run, target: system.target });
  const after = useByPid(pids);
  const uasMs = processCpuMs(system.uas.pid) - uasBefore;
  const byProcess: Record<string, number> = {};
  let userMs = 0;
  let systemMs = 0;
  let sleeps = 0;
  for (const [pid, end] of after) {
    const start = before.get(pid) ?? end;
    const userUsed = end.userMs - start.userMs;
    const systemUsed = end.systemMs - start.systemMs;
    userMs += userUsed;
    systemMs += systemUsed;
    sleeps += end.sleeps - start.sleeps;
    byProcess[`${pid === system.pid ? system.name : `${system.name} worker`}[${pid}]`] = per(userUsed + systemUsed, outcome.successful);
  }
  const seconds = outcome.elapsedMs / 1000;
  return {
    system: system.name,
    offered: run.rate,
    calls: run.calls,
    successful: outcome.successful,
    failed: outcome.failed + (run.calls - outcome.successful - outcome.failed),
    admitted: outcome.rttMs.length,
    achieved: Math.round(outcome.successful / seconds),
    elapsedMs: outcome.elapsedMs,
    proxyMsPerCall: per(userMs + systemMs, outcome.successful),
    byProcessMsPerCall: byProcess,
    proxyUserMsPerCall: per(userMs, outcome.successful),
    proxySystemMsPerCall: per(systemMs, outcome.successful),
    proxySleepsPerCall: Math.round((sleeps / Math.max(1, outcome.successful)) * 100) / 100,
    sippUacMsPerCall: per(outcome.cpuMs, outcome.successful),
    sippUasMsPerCall: per(uasMs, outcome.successful),
    p50Ms: percentile(outcome.rttMs, 50),
    p99Ms: percentile(outcome.rttMs, 99),
    failures: outcome.failures,
  };
}
