import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { parseDigestCredentials } from '../../sbbs/index.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { UdpSipClient } from '../sbbs/udp-sip-client.js';
import { silentLogger } from '../helpers/silent-logger.js';

/** The challenges a node started with `flags` answers an unauthenticated REGISTER with: [algorithm, realm] in header order. */
async function challenges(t: TestContext, flags: Record<string, unknown>): Promise<Array<[string | undefined, string | undefined]>> {
  const sipPort = await freePort();
  const config = resolveNodeConfig({
    flags: { dataDir: await mkdtemp(join(tmpdir(), 'sleet-digest-')), sipPort, httpPort: 0, managementPort: 0, domain: ['example.test'], ...flags },
    env: {},
  });
  const node = await SleetNode.start({ config, logger: silentLogger() });
  t.after(() => node.stop());
  const client = await UdpSipClient.open(sipPort);
  t.after(() => client.close());
  const response = await client.register({ user: 'bob', domain: 'example.test', contacts: [`<sip:bob@127.0.0.1:${client.port}>`] });
  assert.equal(response.status, 401);
  return response.getAll('WWW-Authenticate').map((h) => {
    const p = parseDigestCredentials(h);
    return [p?.get('algorithm'), p?.get('realm')];
  });
}

test('--digest-algorithms SHA-256,MD5 and --realm: one challenge per algorithm, most preferred first, in the configured realm', async (t) => {
  assert.deepEqual(await challenges(t, { digestAlgorithms: 'SHA-256,MD5', realm: 'voice.example.test' }), [
    ['SHA-256', 'voice.example.test'],
    ['MD5', 'voice.example.test'],
  ]);
});

test('--digest-algorithms MD5: a single MD5 challenge, for clients that fail on a second one', async (t) => {
  assert.deepEqual(await challenges(t, { digestAlgorithms: 'MD5' }), [['MD5', 'example.test']]);
});

test('the default challenges with MD5 alone, which every client tried answers', async (t) => {
  assert.deepEqual(await challenges(t, {}), [['MD5', 'example.test']]);
});

test('an unknown or repeated algorithm is a configuration error naming the flag', () => {
  for (const value of ['SHA-1', 'MD5,MD5']) {
    assert.throws(
      () => resolveNodeConfig({ flags: { digestAlgorithms: value }, env: {} }),
      (err: unknown) => SleetError.is(err, ErrorCode.CONFIG_INVALID) && /--digest-algorithms/.test(err.message),
    );
  }
  assert.deepEqual(resolveNodeConfig({ flags: {}, env: { SLEET_DIGEST_ALGORITHMS: 'SHA-256' } }).digestAlgorithms, ['SHA-256']);
});
