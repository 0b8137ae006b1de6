import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = join(root, 'scripts', 'doc-includes.mjs');
const SBB = 'examples/call-screening/src/call-screening-sbb.ts';

const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

test('npm run docs:check: the README shows the call-screening SBB exactly as the file has it', async () => {
  const check = run('--check');
  assert.equal(check.status, 0, check.stderr);
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const sbb = await readFile(join(root, SBB), 'utf8');
  assert.ok(readme.includes(`<!-- include: ${SBB} -->\n\`\`\`ts\n${sbb}\`\`\`\n<!-- /include -->`));
});

test('a changed SBB fails the check, naming the README, until docs:write copies it in', async (t) => {
  const copy = await mkdtemp(join(tmpdir(), 'sleet-doc-includes-'));
  t.after(() => rm(copy, { recursive: true, force: true }));
  await cp(join(root, 'README.md'), join(copy, 'README.md'));
  await cp(join(root, 'docs'), join(copy, 'docs'), { recursive: true });
  await cp(join(root, SBB), join(copy, SBB));
  await writeFile(join(copy, SBB), (await readFile(join(copy, SBB), 'utf8')).replace('priority: 50', 'priority: 60'));
  const stale = run('--check', '--root', copy);
  assert.equal(stale.status, 1);
  assert.match(stale.stderr, /README\.md: the copy of examples\/call-screening\/src\/call-screening-sbb\.ts differs from the file/);
  assert.equal(run('--write', '--root', copy).status, 0);
  assert.equal(run('--check', '--root', copy).status, 0);
  assert.match(await readFile(join(copy, 'README.md'), 'utf8'), /priority: 60/);
});
