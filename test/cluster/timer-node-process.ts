import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Fired } from './timer-services.js';

const nodeScript = fileURLToPath(new URL('./timer-node.js', import.meta.url));

/** A timer-node.ts child process and what it printed. */
export interface TimerNodeProcess {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  stderr: string[];
  exited: boolean;
}

/** One SLEE on the shared timer queue; `redisUrl` is one URL or a Redis Cluster's comma-separated seed list, as `--redis-url` takes. */
export function startTimerNode(redisUrl: string, queueName: string, cluster: string): TimerNodeProcess {
  const child = spawn(process.execPath, [nodeScript, redisUrl, queueName, cluster], { stdio: ['pipe', 'pipe', 'pipe'] });
  const node: TimerNodeProcess = { child, lines: [], stderr: [], exited: false };
  createInterface({ input: child.stdout }).on('line', (line) => node.lines.push(line));
  child.stderr.on('data', (chunk: Buffer) => node.stderr.push(chunk.toString()));
  child.on('exit', () => (node.exited = true));
  return node;
}

/** The timer events the node's service handled, with the pid of the process that handled each. */
export const firedOn = (node: TimerNodeProcess): Array<Fired & { pid: number }> =>
  node.lines.filter((l) => l.startsWith('fired ')).map((l) => JSON.parse(l.slice('fired '.length)) as Fired & { pid: number });

export const timerNodeDiagnostics = (nodes: TimerNodeProcess[]): string =>
  nodes.map((n, i) => `node ${i}: ${JSON.stringify(n.lines)} ${n.stderr.join('')}`).join('\n');
