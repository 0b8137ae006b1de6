import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runner = fileURLToPath(new URL('../../../test/run-tests.mjs', import.meta.url));

test('the test runner removes what the tests left in the temporary directory', (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'sleet-runner-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const run = spawnSync(process.execPath, [runner, 'runner/leaves-a-temporary-directory'], {
    // Without NODE_TEST_CONTEXT the nested runner reports as a runner of its own, not to this test's.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')), TMPDIR: tmp },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /pass 1\b/);
  assert.deepEqual(readdirSync(tmp), []);
});
