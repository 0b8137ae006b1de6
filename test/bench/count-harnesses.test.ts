import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const BENCH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench');

/** Runs a counting harness as docs/performance.md does (without valgrind) and returns what it printed. */
async function count(script: string, iterations: number, ...flags: string[]): Promise<string> {
  const args = ['--predictable', '--predictable-gc-schedule', '--random-seed=1', join(BENCH, script), String(iterations), ...flags];
  const { stdout } = await promisify(execFile)(process.execPath, args, { timeout: 90_000 });
  return stdout.trim();
}

test('proxy-forward-count: every call goes through the proxy core, and the bytes grow with the calls', async () => {
  const [small, large] = await Promise.all([count('proxy-forward-count.js', 10), count('proxy-forward-count.js', 20)]);
  const a = JSON.parse(small) as { iterations: number; bytes: number };
  const b = JSON.parse(large) as { iterations: number; bytes: number };
  assert.equal(a.iterations, 10);
  assert.ok(a.bytes > 10 * 1000 && b.bytes > 1.9 * a.bytes, `${a.bytes} then ${b.bytes} bytes`);
});

test('slee-delivery-count: every iteration creates a root entity and its activity end removes it', async () => {
  assert.equal(await count('slee-delivery-count.js', 50), 'iterations 50, entities created 50, removed 50, live activities 0');
});

test("demo-call-count: the demo node completes every call, one at a time: a 100, the forwarded INVITE, 200, ACK, BYE and the BYE's 200 each", async () => {
  // The REGISTER's 200, then six datagrams a call.
  assert.equal(await count('demo-call-count.js', 12), `calls 12, datagrams received by the phones ${1 + 12 * 6}`);
});

test('demo-call-count --settle: after the wait state on the driven clock no SIP transaction, SIP activity or SBB entity of the calls is left, and every call record is written', async () => {
  // The harness exits 1, naming what is left, when a transaction, an activity or an entity outlives the wait state,
  // or a call record is not written. The wait state passes on the clock the harness drives: a stack that kept its
  // own clock would hold every transaction for 32 s of wall time, and the harness would name them.
  assert.equal(await count('demo-call-count.js', 5, '--settle'), `calls 5, datagrams received by the phones ${1 + 5 * 6}`);
});
