import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { silentLogger } from '../helpers/silent-logger.js';

function start(dataDir: string): Promise<SleetNode> {
  const config = resolveNodeConfig({ flags: { dataDir, managementPort: 0, sipPort: 0, httpPort: 0 }, env: {} });
  return SleetNode.start({ config, logger: silentLogger() });
}

test('a second node on the same data directory is refused while the first runs, and may start once it has stopped', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sleet-lock-'));
  const first = await start(dataDir);
  try {
    await assert.rejects(start(dataDir), (err) => {
      assert.ok(SleetError.is(err, ErrorCode.DATA_DIR_LOCKED), `expected DATA_DIR_LOCKED, got ${String(err)}`);
      assert.match(err.message, new RegExp(`process ${process.pid}`), 'names the process holding it');
      assert.match(err.message, /--data-dir/, 'names the flag to change');
      return true;
    });
  } finally {
    await first.stop();
  }
  const second = await start(dataDir);
  await second.stop();
});

test('a lock left by a process that died is taken over', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sleet-lock-'));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  await writeFile(join(dataDir, 'node.lock'), `${dead.stdout}\n`, { mode: 0o600 });
  const node = await start(dataDir);
  await node.stop();
});
