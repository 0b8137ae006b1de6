import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BullTimerBackend } from '../../slee/facilities/timer/bull-timer-backend.js';
import type { TimerEvent } from '../../slee/facilities/timer/timer-event.js';
import { REDIS_URL, inspectQueue, redisAvailable, removeQueue, uniqueQueueName, waitUntil } from './redis-for-tests.js';

const nodeScript = fileURLToPath(new URL('./bull-timer-node.js', import.meta.url));

type Receipt = TimerEvent & { pid: number; activityContextId: string };

interface SleeProcess {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  stderr: string[];
  exitCode: number | null | undefined;
  send(command: object): void;
}

function startSleeProcess(queueName: string): SleeProcess {
  const child = spawn(process.execPath, [nodeScript, REDIS_URL, queueName], { stdio: ['pipe', 'pipe', 'pipe'] });
  const proc: SleeProcess = {
    child,
    lines: [],
    stderr: [],
    exitCode: undefined,
    send: (command) => child.stdin.write(`${JSON.stringify(command)}\n`),
  };
  createInterface({ input: child.stdout }).on('line', (line) => proc.lines.push(line));
  child.stderr.on('data', (chunk: Buffer) => proc.stderr.push(chunk.toString()));
  child.on('exit', (code) => (proc.exitCode = code));
  return proc;
}

function receipts(procs: SleeProcess[]): Receipt[] {
  return procs.flatMap((p) => p.lines.filter((l) => l.startsWith('received ')).map((l) => JSON.parse(l.slice('received '.length)) as Receipt));
}

test('two SLEE processes on one bull queue deliver each expiry exactly once, periodic ones included', async (t) => {
  if (!(await redisAvailable(t))) return;
  const queueName = uniqueQueueName();
  const recordsKey = new BullTimerBackend({ redisUrl: REDIS_URL, queueName }).recordsKey;
  const procs = [startSleeProcess(queueName), startSleeProcess(queueName)];
  const [setter, other] = procs as [SleeProcess, SleeProcess];
  const diagnostics = () => procs.map((p, i) => `process ${i}: stdout ${JSON.stringify(p.lines)} stderr ${p.stderr.join('')}`).join('\n');
  t.after(async () => {
    for (const p of procs) if (p.exitCode === undefined) p.child.kill();
    await removeQueue(queueName, recordsKey);
  });

  await waitUntil(
    () => procs.every((p) => p.lines.includes('ready')),
    () => `both SLEE processes to start\n${diagnostics()}`,
  );
  setter.send({ cmd: 'set', options: { delay: 600, address: 'sip:alice@example.com', payload: { label: 'once' }, preserveMissed: 'ALL' } });
  setter.send({
    cmd: 'set',
    options: { delay: 400, period: 200, repetitions: 5, address: 'sip:bob@example.com', payload: { label: 'periodic' }, preserveMissed: 'ALL' },
  });

  const queue = inspectQueue(queueName);
  try {
    await waitUntil(
      () => receipts(procs).length >= 6,
      () => `six expiries\n${diagnostics()}`,
    );
    await waitUntil(async () => (await queue.client.hlen(recordsKey)) === 0, 'both timers to be finished');
  } finally {
    await queue.close();
  }
  for (const p of procs) {
    p.send({ cmd: 'stop' });
    p.child.stdin.end();
  }
  await waitUntil(
    () => procs.every((p) => p.exitCode !== undefined),
    () => `both processes to exit on their own after stopping\n${diagnostics()}`,
  );
  assert.deepEqual(
    procs.map((p) => p.exitCode),
    [0, 0],
    diagnostics(),
  );

  const all = receipts(procs);
  const byLabel = (label: string) => all.filter((r) => (r.payload as { label: string }).label === label);
  const once = byLabel('once');
  assert.equal(once.length, 1, `the one-shot timer fired once\n${diagnostics()}`);
  assert.equal(once[0]!.address, 'sip:alice@example.com');
  const periodic = byLabel('periodic').sort((a, b) => a.scheduledTime - b.scheduledTime);
  const first = periodic[0]!.scheduledTime;
  assert.deepEqual(
    periodic.map((r) => [r.scheduledTime - first, r.remainingRepetitions]),
    [
      [0, 4],
      [200, 3],
      [400, 2],
      [600, 1],
      [800, 0],
    ],
    `each periodic expiry fired exactly once\n${diagnostics()}`,
  );
  assert.equal(all.length, 6, diagnostics());
  t.diagnostic(`expiries handled per process: ${procs.map((p) => receipts([p]).length).join(' / ')}`);
  assert.ok(other.lines.includes('stopped'));
});
