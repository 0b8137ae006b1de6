import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineEventType } from '../../slee/component-model/event-type.js';
import { initProject } from '../../sdk/init/init-project.js';
import { buildBundle } from '../../sdk/build/build-bundle.js';
import { startDeploymentFixture } from '../deployment/deployment-fixture.js';

const sleetRoot = fileURLToPath(new URL('../../../', import.meta.url));

test('sdk init then sdk build gives a bundle that installs and runs, and the generated test passes', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'sleet-init-')), 'hello');
  const files = await initProject(dir, { vendor: 'acme' });
  assert.deepEqual(files.sort(), ['README.md', 'package.json', 'src/greeting-event.ts', 'src/hello-sbb.ts', 'test/hello.test.mjs', 'tsconfig.json']);

  const built = await buildBundle(dir);
  assert.equal(built.archive, join(dir, 'build', 'hello-1.0.0.tgz'));
  assert.deepEqual(built.descriptor.unit, { name: 'hello', vendor: 'acme', version: '1.0.0' });
  assert.deepEqual((await readdir(join(built.bundleDir, 'lib'))).sort(), ['greeting-event.js', 'hello-sbb.js']);

  const f = await startDeploymentFixture();
  const unit = await f.manager.install(built.archive);
  assert.deepEqual(unit.components.map((c) => `${c.kind}:${c.id.name}`).sort(), ['event-type:acme.Greeting', 'sbb:HelloSbb', 'service:HelloService']);
  const service = { name: 'HelloService', vendor: 'acme', version: '1.0' };
  f.slee.activateService(service);
  const Greeting = defineEventType<{ text: string }>('acme.Greeting', { vendor: 'acme', version: '1.0', short: 'Greeting' });
  const activity = f.ra.startActivity();
  await f.ra.fire(activity, Greeting, { text: 'hi' });
  const entities = [...f.slee.kernel.entities.values()].filter((e) => e.service.id.name === 'HelloService');
  assert.deepEqual(
    entities.map((e) => e.cmp),
    [{ greetings: 1, last: 'hi' }],
  );
  await f.close();

  // The generated project resolves 'sleet' from its node_modules, as it would after npm install.
  await mkdir(join(dir, 'node_modules'));
  await symlink(sleetRoot, join(dir, 'node_modules', 'sleet'), 'dir');
  // Without NODE_TEST_CONTEXT the child reports in TAP rather than to this runner.
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--test', join(dir, 'test', 'hello.test.mjs')], { cwd: dir, encoding: 'utf8', env });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  // TAP (Node 20) or spec (Node 22+) summary line of the generated test run.
  assert.match(run.stdout, /^(# |ℹ )pass 1$/m);
  assert.match(run.stdout, /^(# |ℹ )fail 0$/m);
});
