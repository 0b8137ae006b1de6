import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateProject } from '../../sdk/analysis/validate-project.js';
import { formatDiagnostic } from '../../sdk/analysis/sdk-diagnostic.js';
import { fixtureProjectsDir } from '../deployment/fixture-bundles.js';

/** A copy of the exec-probe project whose package.json `edit` changes. */
async function editedProject(edit: (pkg: Record<string, any>) => void): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sleet-sdk-permissions-'));
  await cp(join(fixtureProjectsDir, 'exec-probe'), dir, { recursive: true });
  const path = join(dir, 'package.json');
  const pkg = JSON.parse(await readFile(path, 'utf8'));
  edit(pkg);
  await writeFile(path, JSON.stringify(pkg));
  return dir;
}

test('validate accepts a built-in import the project declares', async () => {
  const { ok, analysis } = await validateProject(join(fixtureProjectsDir, 'exec-probe'));
  assert.deepEqual(analysis.diagnostics.map(formatDiagnostic), []);
  assert.equal(ok, true);
});

test('validate reports each undeclared built-in import and restricted process member, with the field to declare it in', async () => {
  const dir = await editedProject((pkg) => delete pkg.sleet.permissions);
  await writeFile(
    join(dir, 'src', 'helpers.ts'),
    [
      "import { readFileSync } from 'fs';",
      'export const exit = (): never => process.exit(1);',
      "export const read = (): string => readFileSync('/dev/null', 'utf8') + String(require('node:net'));",
      '',
    ].join('\n'),
  );
  const { ok, analysis } = await validateProject(dir);
  assert.equal(ok, false);
  assert.deepEqual(analysis.diagnostics.map(formatDiagnostic), [
    `src/exec-probe-sbb.ts:1:30: error: imports Node built-in 'node:child_process', which the project does not declare; add "child_process" to "sleet.permissions.builtins" in package.json`,
    `src/helpers.ts:1:30: error: imports Node built-in 'fs', which the project does not declare; add "fs" to "sleet.permissions.builtins" in package.json`,
    `src/helpers.ts:2:34: error: uses process.exit, which the project does not declare; add "process" to "sleet.permissions.builtins" in package.json`,
    `src/helpers.ts:3:86: error: imports Node built-in 'node:net', which the project does not declare; add "net" to "sleet.permissions.builtins" in package.json`,
  ]);
});
