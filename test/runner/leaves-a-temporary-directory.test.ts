import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Left behind on purpose, as a test that crashes or forgets would leave it: run-tests.test.ts
// checks that the runner removes it with the run's temporary directory.
test('a test may leave a temporary directory behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sleet-left-behind-'));
  assert.ok(existsSync(dir));
});
