import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUILT = fileURLToPath(new URL('../../../dist/console/index.html', import.meta.url));

test('npm start does not rebuild a console that is newer than its sources', () => {
  const before = statSync(BUILT).mtimeMs;
  const out = execFileSync(process.execPath, ['scripts/build-console.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.match(out, /console up to date/);
  assert.equal(statSync(BUILT).mtimeMs, before, 'dist/console was left as it was');
});
