import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** The fields of a /proc/<pid>/stat line after the command name (field 2), which may hold spaces: index 0 is field 3. */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User and system CPU time of a process in ms, from /proc/<pid>/stat (utime and stime, fields 14 and 15). */
export function processCpuSplitMs(pid: number): { userMs: number; systemMs: number } {
  const fields = statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return { userMs: (Number(fields[11]) * 1000) / clockTicks(), systemMs: (Number(fields[12]) * 1000) / clockTicks() };
}

/** User + system CPU time of a process in ms. */
export function processCpuMs(pid: number): number {
  const { userMs, systemMs } = processCpuSplitMs(pid);
  return userMs + systemMs;
}

/**
 * How many times the threads of a process went to sleep (the sum of their
 * voluntary context switches, /proc/<pid>/task/<tid>/status): an event loop
 * waiting for input, a helper thread waiting for work. Threads that ended
 * are not counted.
 */
export function processSleeps(pid: number): number {
  let sleeps = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const match = /^voluntary_ctxt_switches:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'));
      if (match) sleeps += Number(match[1]);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return sleeps;
}

/** CPU time in ms of the ended children a process has waited for, from its stat line (cutime and cstime, fields 16 and 17). */
export function childrenCpuMs(stat: string): number {
  const fields = statFields(stat);
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / clockTicks();
}

/** Resident set size of a process in KiB, from /proc/<pid>/status. */
export function processRssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}
