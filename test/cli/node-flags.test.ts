import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingNodeFlags } from '../../server/cli/missing-node-flags.js';
import { freePort } from '../sip/interop/sipp-runner.js';

const MAIN = fileURLToPath(new URL('../../server/cli/main.js', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../../../package.json', import.meta.url));
const WARNING = /"missing":\["--no-memory-reducer"\]/;

/** Runs `start` with `command` until the node has written its management URL, then stops it; returns what it logged. */
async function startAndStop(command: string, args: string[]): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sleet-flags-'));
  try {
    const start = ['start', '--data-dir', dataDir, '--sip-port', String(await freePort()), '--http-port', '0', '--management-port', '0'];
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLEET_')));
    // `node` on the PATH is the node running the tests, as an installed `sleet` finds its own.
    const env = { ...clean, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
    const child = spawn(command, [...args, ...start, '--log-level', 'warn', '--log-format', 'json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    while (!existsSync(join(dataDir, 'management-url'))) {
      if (child.exitCode !== null) assert.fail(`sleet start exited with ${child.exitCode}:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGTERM');
    await exited;
    return log;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('the flags sleet start wants are found however V8 spells them, and their last setting counts', () => {
  assert.deepEqual(missingNodeFlags([]), ['--no-memory-reducer']);
  assert.deepEqual(missingNodeFlags(['--expose-gc', '--memory-reducer']), ['--no-memory-reducer']);
  assert.deepEqual(missingNodeFlags(['--no-memory-reducer', '--memory-reducer']), ['--no-memory-reducer'], 'V8 takes the last setting');
  assert.deepEqual(missingNodeFlags(['--memory-reducer', '--no-memory-reducer']), []);
  for (const given of ['--no-memory-reducer', '--no-memory_reducer', '--memory-reducer=false']) assert.deepEqual(missingNodeFlags([given]), []);
});

test('a node started without --no-memory-reducer says so, and one given it, or started by the sleet command, does not', async () => {
  assert.match(await startAndStop(process.execPath, [MAIN]), WARNING);
  assert.doesNotMatch(await startAndStop(process.execPath, ['--no-memory-reducer', MAIN]), WARNING);
  // What the kernel runs for `sleet start`: the interpreter of main.js's #! line, with the rest of the line as one argument.
  const shebang = /^#!(\S+) (.+)\n/.exec(readFileSync(MAIN, 'utf8'));
  assert.ok(shebang, 'main.js starts with a #! line');
  const log = await startAndStop(shebang[1]!, [shebang[2]!, MAIN]);
  assert.doesNotMatch(log, WARNING);
  assert.doesNotMatch(log, /"level":[56]0/);
});

test('npm start runs the node with the flags sleet start wants', () => {
  const script = (JSON.parse(readFileSync(PACKAGE, 'utf8')) as { scripts: { start: string } }).scripts.start;
  const node = /(?:^|&& )node ((?:--\S+ )*)dist\/server\/cli\/main\.js start/.exec(script);
  assert.ok(node, `npm start runs node dist/server/cli/main.js start: ${script}`);
  assert.deepEqual(missingNodeFlags(node[1]!.trim().split(' ').filter(Boolean)), []);
});
