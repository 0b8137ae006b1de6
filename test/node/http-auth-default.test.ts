import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { silentLogger } from '../helpers/silent-logger.js';

async function startNode(t: TestContext, dataDir: string, flags: Record<string, unknown> = {}) {
  const [sipPort, httpPort] = [await freePort(), await freePort()];
  const config = resolveNodeConfig({ flags: { dataDir, sipPort, httpPort, managementPort: 0, ...flags }, env: {} });
  const node = await SleetNode.start({ config, logger: silentLogger() });
  let stopped = false;
  const stop = async () => {
    if (!stopped) await node.stop();
    stopped = true;
  };
  t.after(stop);
  const status = async (path: string, headers: Record<string, string> = {}) => (await fetch(`http://127.0.0.1:${httpPort}${path}`, { headers })).status;
  return { status, stop };
}

test('outside --demo, HTTP services need the token the node keeps in <data-dir>/http-token, the same across restarts', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sleet-http-auth-'));
  const first = await startNode(t, dataDir);
  const tokenFile = join(dataDir, 'http-token');
  const token = (await readFile(tokenFile, 'utf8')).trim();
  assert.ok(token.length >= 16);
  assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
  assert.equal(await first.status('/calls'), 401, 'no token');
  assert.equal(await first.status('/calls', { authorization: `Bearer ${token}` }), 404, 'with the token the request reaches routing');
  await first.stop();

  const second = await startNode(t, dataDir);
  assert.equal((await readFile(tokenFile, 'utf8')).trim(), token);
  assert.equal(await second.status('/calls', { authorization: `Bearer ${token}` }), 404);
  assert.equal(await second.status('/calls'), 401);
});

test('--http-token sets the token, --http-auth off switches it off, and --demo leaves it off unless asked', async (t) => {
  const given = await startNode(t, await mkdtemp(join(tmpdir(), 'sleet-http-auth-')), { httpToken: 'given-token-0123456789' });
  assert.equal(await given.status('/calls', { authorization: 'Bearer given-token-0123456789' }), 404);
  assert.equal(await given.status('/calls'), 401);

  const off = await startNode(t, await mkdtemp(join(tmpdir(), 'sleet-http-auth-')), { httpAuth: 'off' });
  assert.equal(await off.status('/calls'), 404);

  const demo = await startNode(t, await mkdtemp(join(tmpdir(), 'sleet-http-auth-')), { demo: true });
  assert.notEqual(await demo.status('/calls/1'), 401);
  const demoWithAuth = await startNode(t, await mkdtemp(join(tmpdir(), 'sleet-http-auth-')), { demo: true, httpAuth: 'on' });
  assert.equal(await demoWithAuth.status('/calls/1'), 401);
});
