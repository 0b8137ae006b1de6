import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { ROUTE_SECRET_FILE } from '../../server/node/data-dir/data-files.js';
import { silentLogger } from '../helpers/silent-logger.js';

test('a node keeps its Record-Route key in the data directory (0600) and the same key across a restart', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sleet-node-rs-'));
  const config = resolveNodeConfig({ flags: { dataDir, sipPort: 0, httpPort: 0, managementPort: 0 }, env: {} });
  const path = join(dataDir, ROUTE_SECRET_FILE);
  const first = await SleetNode.start({ config, logger: silentLogger() });
  const key = await readFile(path, 'utf8');
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  await first.stop();
  const second = await SleetNode.start({ config, logger: silentLogger() });
  try {
    assert.equal(await readFile(path, 'utf8'), key);
  } finally {
    await second.stop();
  }
});
