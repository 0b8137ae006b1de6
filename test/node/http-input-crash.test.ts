import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoNodeProcess, type DemoNodeProcess } from './demo-node-process.js';
import { rawHttp } from '../http/raw-http.js';

const json = { 'content-type': 'application/json' };

async function post(node: DemoNodeProcess, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${node.httpUrl}${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** A valid call still gets 201, and the process has not exited meanwhile. */
async function assertServes(node: DemoNodeProcess, after: string): Promise<void> {
  const res = await fetch(`${node.httpUrl}/calls`, { method: 'POST', headers: json, body: JSON.stringify({ from: 'alice', to: 'bob' }) }).then(
    (r) => r.status,
    (err: Error) => `${err.message} (${(err.cause as Error | undefined)?.message})`,
  );
  if (res !== 201) await new Promise((r) => setTimeout(r, 500));
  assert.equal(node.exitCode, null, `the node exited after ${after}:\n${node.log.slice(0, 600)}`);
  assert.equal(res, 201, `a valid POST /calls after ${after}`);
}

test('sleet start --demo: malformed SIP URIs in HTTP bodies are refused with 400 and the process keeps serving', { timeout: 120_000 }, async (t) => {
  const node = await startDemoNodeProcess();
  t.after(() => node.stop());

  for (const party of ['sip:[', 'sip:', 'sips:[::1', 'sip:bob@host:99999', 'sip:@host']) {
    const res = await post(node, '/calls', { from: party, to: 'bob' });
    await assertServes(node, `POST /calls from ${party}`);
    assert.equal(res.status, 400, `POST /calls from ${party}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(
      (res.body as { issues: Array<{ path: string }> }).issues.map((i) => i.path),
      ['from'],
    );
  }

  const wake = await post(node, '/wakeups', { who: 'sip:[', at: Date.now() + 60_000 });
  assert.equal(wake.status, 400, `POST /wakeups who sip:[: ${JSON.stringify(wake.body)}`);
  assert.deepEqual(
    (wake.body as { issues: Array<{ path: string }> }).issues.map((i) => i.path),
    ['who'],
  );
});

test(
  'sleet start --demo: an unparseable request target or percent-encoding is refused with 400 and the process keeps serving',
  { timeout: 120_000 },
  async (t) => {
    const node = await startDemoNodeProcess();
    t.after(() => node.stop());
    const port = Number(new URL(node.httpUrl).port);
    const target = await rawHttp(port, 'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await assertServes(node, 'an unparseable request target');
    assert.equal(target, 400, 'an unparseable request target');
    const percent = await rawHttp(port, 'GET /calls/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await assertServes(node, 'a malformed percent-encoding');
    assert.equal(percent, 400, 'a malformed percent-encoding in a route parameter');
  },
);
