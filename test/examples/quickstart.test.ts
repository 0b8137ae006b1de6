import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);

test('the quick-start example runs: one entity per user, traces through pino', async () => {
  const main = fileURLToPath(new URL('../../examples/quickstart/main.js', import.meta.url));
  const { stdout } = await run(process.execPath, [main], { timeout: 20_000 });
  assert.match(stdout, /entities: 1, root entities of SessionTracker: 1/);
  assert.match(stdout, /"msg":"alice logged in \(2 times\)"/);
  assert.match(stdout, /"msg":"alice logged out"/);
});
