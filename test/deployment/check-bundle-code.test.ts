import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { bundleDescriptorSchema } from '../../slee/deployment/bundle/bundle-descriptor.js';
import { checkBundleCode } from '../../slee/deployment/bundle/check-bundle-code.js';

/** A bundle of the given files whose descriptor names `entry` as a library module, and what the check finds in it. */
async function problemsOf(files: Record<string, string>, entry: string[]): Promise<Array<[string, string]>> {
  const root = await mkdtemp(join(tmpdir(), 'sleet-check-code-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, name)), { recursive: true });
      await writeFile(join(root, name), text);
    }
    const descriptor = bundleDescriptorSchema.parse({
      format: 1,
      unit: { name: 'probe', vendor: 'acme', version: '1.0.0' },
      components: { libraries: [{ name: 'probe', vendor: 'acme', version: '1.0', modules: entry }] },
    });
    return (await checkBundleCode(root, descriptor)).map((p) => [p.code, p.reason]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

test('bundle code that is not JavaScript is refused by name before any of it runs', async () => {
  assert.deepEqual(await problemsOf({ 'lib/a.js': 'exports.a = function ( {;\n' }, ['lib/a.js']), [
    [ErrorCode.BUNDLE_INVALID, 'lib/a.js is not valid JavaScript: Unexpected token (1:24)'],
  ]);
});

test('every ES module form is named, in a module reached by require as in an entry module', async () => {
  const problems = await problemsOf(
    {
      'lib/a.js': "require('./b.js');\nexport const a = 1;\n",
      'lib/b.js': "import x from './c.js';\nexport * from './c.js';\n",
      'lib/c.js': 'module.exports = 1;\n',
    },
    ['lib/a.js'],
  );
  assert.deepEqual(problems, [
    [ErrorCode.BUNDLE_INVALID, 'lib/a.js is an ES module; bundle modules are CommonJS (sleet-sdk build emits them)'],
    [ErrorCode.BUNDLE_INVALID, 'lib/b.js is an ES module; bundle modules are CommonJS (sleet-sdk build emits them)'],
  ]);
});

test('CommonJS as Node.js runs it passes, and every constant require and import() is followed', async () => {
  const problems = await problemsOf(
    {
      'lib/a.js': "#!/usr/bin/env node\nif (process.platform === 'x') return;\nrequire(`./b.js`);\nconst later = () => import('./c.js');\nrequire(name);\n",
      'lib/b.js': "const cp = require('node:child_process');\n",
      'lib/c.js': "process.exit(1);\nrequire('./missing.js');\n",
    },
    ['lib/a.js'],
  );
  assert.deepEqual(problems, [
    [
      ErrorCode.BUNDLE_PERMISSION,
      `lib/b.js requires Node built-in 'node:child_process', which the bundle does not declare; add "child_process" to permissions.builtins in sleet-bundle.json ("sleet.permissions.builtins" in the project's package.json)`,
    ],
    [
      ErrorCode.BUNDLE_PERMISSION,
      `lib/c.js uses process.exit, which the bundle does not declare; add "process" to permissions.builtins in sleet-bundle.json ("sleet.permissions.builtins" in the project's package.json)`,
    ],
    [ErrorCode.BUNDLE_INVALID, "lib/c.js requires './missing.js', which is not in the bundle"],
  ]);
});
