import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './sipp-runner.js';

// Far more ports than a test takes, so that a random draw repeats (about 150 repeats expected
// among 2,000 draws from the 12,000 ports below the ephemeral range) unless freePort prevents it.
const DRAWS = 1000;

async function draw(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  return ports;
}

/** Draws in another process (which inherits SLEET_TEST_PORTS), as node --test runs each test file beside another. */
function drawElsewhere(count: number): Promise<number[]> {
  const script = `import { freePort } from ${JSON.stringify(new URL('./sipp-runner.js', import.meta.url).href)};
const ports = [];
for (let i = 0; i < ${count}; i++) ports.push(await freePort());
process.stdout.write(JSON.stringify(ports));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`drawing process exited ${code}`))));
  });
}

test('freePort hands out no port twice in a run, across the processes that run test files side by side', async (t) => {
  // A run's reservations of its own, so this test neither takes nor sees the suite's.
  const dir = mkdtempSync(join(tmpdir(), 'sleet-ports-test-'));
  const saved = process.env['SLEET_TEST_PORTS'];
  process.env['SLEET_TEST_PORTS'] = dir;
  t.after(() => {
    if (saved === undefined) delete process.env['SLEET_TEST_PORTS'];
    else process.env['SLEET_TEST_PORTS'] = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  const [here, there] = await Promise.all([draw(DRAWS), drawElsewhere(DRAWS)]);
  const all = [...here, ...there];
  const repeated = all.filter((port, i) => all.indexOf(port) !== i);
  assert.deepEqual(repeated, [], `${repeated.length} ports handed out twice`);
});
