import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { silentLogger } from '../helpers/silent-logger.js';

test('a started node guards its process against uncaught exceptions and unhandled rejections; stopping it removes the guard', async () => {
  const before = { exception: process.listenerCount('uncaughtException'), rejection: process.listenerCount('unhandledRejection') };
  const config = resolveNodeConfig({ flags: { dataDir: await mkdtemp(join(tmpdir(), 'sleet-guard-')), managementPort: 0, sipPort: 0, httpPort: 0 }, env: {} });
  const node = await SleetNode.start({ config, logger: silentLogger() });
  try {
    assert.equal(process.listenerCount('uncaughtException'), before.exception + 1, 'one uncaughtException guard while the node runs');
    assert.equal(process.listenerCount('unhandledRejection'), before.rejection + 1, 'one unhandledRejection guard while the node runs');
  } finally {
    await node.stop();
  }
  assert.equal(process.listenerCount('uncaughtException'), before.exception);
  assert.equal(process.listenerCount('unhandledRejection'), before.rejection);
});
