import { readFileSync } from 'node:fs';

/** Above this share of all cores used by other processes, a benchmark's figures understate what Sleet can do. */
export const BUSY_WARNING_PERCENT = 10;

interface CpuTimes {
  busy: number;
  total: number;
}

/** Aggregate jiffies from the `cpu` line of /proc/stat: idle and iowait count as idle. */
export function cpuTimes(procStat: string): CpuTimes {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) throw new Error('/proc/stat has no aggregate cpu line');
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Share (0-100) of all cores that were busy between two /proc/stat readings. */
export function busyPercent(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  return total <= 0 ? 0 : Math.round(((after.busy - before.busy) / total) * 1000) / 10;
}

/**
 * How busy the machine is while this process waits: what other processes
 * use. Measured before each benchmark, since the 2-core machine is shared and
 * a busy neighbour halves the SIPp figures without any change in Sleet.
 * Undefined where /proc/stat does not exist.
 */
export async function machineBusyPercent(sampleMs = 2000): Promise<number | undefined> {
  let before: CpuTimes;
  try {
    before = cpuTimes(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
  await new Promise((resolve) => setTimeout(resolve, sampleMs));
  return busyPercent(before, cpuTimes(readFileSync('/proc/stat', 'utf8')));
}
