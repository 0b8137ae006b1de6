import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { BundleModuleLoader } from '../../slee/deployment/bundle/bundle-module-loader.js';
import { fixtureBundle, rawBundlesDir } from './fixture-bundles.js';
import { TickEvent, rootsOf, startDeploymentFixture } from './deployment-fixture.js';
import { refusal } from '../helpers/refusal.js';

const execProbe = { name: 'ExecProbeService', vendor: 'acme', version: '1.0' };

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** One ustar header block (the fields tar readers need), for archives no packer would write. */
function tarHeader(name: string, type: '0' | '2' | '5', size: number, linkname = ''): Buffer {
  const block = Buffer.alloc(512);
  const field = (value: string, offset: number, length: number) => block.write(value, offset, length, 'utf8');
  const octal = (value: number, offset: number, length: number) => field(value.toString(8).padStart(length - 1, '0'), offset, length - 1);
  field(name, 0, 100);
  octal(type === '5' ? 0o755 : 0o644, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(size, 124, 12);
  octal(0, 136, 12);
  field('        ', 148, 8);
  field(type, 156, 1);
  field(linkname, 157, 100);
  field('ustar\u000000', 257, 8);
  let sum = 0;
  for (const byte of block) sum += byte;
  field(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8);
  return block;
}

function tarFile(name: string, content: string): Buffer[] {
  const data = Buffer.from(content);
  return [tarHeader(name, '0', data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512)];
}

test('a bundle invalid in a static way is refused with every reason before any of its code runs', async () => {
  const f = await startDeploymentFixture();
  await f.manager.install((await fixtureBundle('tick-events')).archive);
  await writeFile(join(f.dataDir, 'management-token'), 'secret-token\n');
  const globalsBefore = Object.getOwnPropertyNames(globalThis).sort();

  const refused = await refusal(f.manager.install(join(rawBundlesDir, 'hostile')));
  assert.equal((globalThis as { sleetHostileBundleRan?: boolean }).sleetHostileBundleRan, undefined, "the bundle did not change the node's global object");
  assert.deepEqual(Object.getOwnPropertyNames(globalThis).sort(), globalsBefore);
  assert.equal(await exists(join(f.dataDir, 'hostile-bundle-ran')), false, "none of the bundle's code ran: it wrote no marker file");
  assert.equal(refused.code, ErrorCode.BUNDLE_INVALID);
  assert.deepEqual(refused.details, [
    'event type acme.Probe/acme/1.0: module lib/probe-event.js is not in the bundle',
    `lib/hostile-sbb.js requires Node built-in 'node:fs', which the bundle does not declare; add "fs" to permissions.builtins in sleet-bundle.json ("sleet.permissions.builtins" in the project's package.json)`,
    `lib/hostile-sbb.js requires Node built-in 'node:child_process', which the bundle does not declare; add "child_process" to permissions.builtins in sleet-bundle.json ("sleet.permissions.builtins" in the project's package.json)`,
    `lib/hostile-sbb.js uses process.execPath, which the bundle does not declare; add "process" to permissions.builtins in sleet-bundle.json ("sleet.permissions.builtins" in the project's package.json)`,
  ]);
  assert.deepEqual(
    f.manager.listUnits().map((u) => u.id),
    ['acme.tick-events@1.0.0'],
  );
  await f.close();
});

test('an archive with a link or a path climbing out of the bundle is refused with every reason, writing nothing outside', async () => {
  const f = await startDeploymentFixture();
  const descriptor = await readFile(join((await fixtureBundle('counter-v1')).bundleDir, 'sleet-bundle.json'), 'utf8');
  const archive = gzipSync(
    Buffer.concat([
      ...tarFile('sleet-bundle.json', descriptor),
      tarHeader('lib/', '5', 0),
      tarHeader('lib/counter-sbb.js', '2', 0, '/etc/passwd'),
      ...tarFile('../escaped.txt', 'outside'),
      Buffer.alloc(1024),
    ]),
  );
  const refused = await refusal(f.manager.install(archive));
  assert.equal(refused.code, ErrorCode.BUNDLE_INVALID);
  assert.deepEqual(refused.details, [
    "archive entry 'lib/counter-sbb.js' is a symbolic link; a bundle holds only files and directories",
    "archive entry '../escaped.txt' climbs out of the bundle",
  ]);
  assert.equal(await exists(join(f.dataDir, 'staging', 'escaped.txt')), false);
  assert.equal(await exists(join(f.dataDir, 'escaped.txt')), false);
  assert.deepEqual(f.manager.listUnits(), []);
  await f.close();
});

test('a bundle requiring node:child_process is refused at deploy unless its descriptor declares it; declared, it runs in a realm of its own', async () => {
  const f = await startDeploymentFixture();
  await f.manager.install((await fixtureBundle('tick-events')).archive);
  const built = await fixtureBundle('exec-probe');
  assert.deepEqual(
    (built.descriptor as { permissions?: unknown }).permissions,
    { builtins: ['child_process'], packages: [] },
    'the SDK writes the declared permissions',
  );

  const undeclared = await mkdtemp(join(tmpdir(), 'sleet-undeclared-'));
  await cp(built.bundleDir, undeclared, { recursive: true });
  const descriptor = JSON.parse(await readFile(join(undeclared, 'sleet-bundle.json'), 'utf8'));
  delete descriptor.permissions;
  await writeFile(join(undeclared, 'sleet-bundle.json'), JSON.stringify(descriptor));
  const refused = await refusal(f.manager.install(undeclared));
  assert.equal(refused.code, ErrorCode.BUNDLE_PERMISSION);
  assert.deepEqual(refused.details, [
    `lib/exec-probe-sbb.js requires Node built-in 'node:child_process', which the bundle does not declare; add "child_process" to permissions.builtins in sleet-bundle.json ("sleet.permissions.builtins" in the project's package.json)`,
  ]);
  assert.match(refused.message, /^cannot install acme\.exec-probe@1\.0\.0:\n {2}- lib\/exec-probe-sbb\.js requires Node built-in 'node:child_process'/);
  assert.deepEqual(
    f.manager.listUnits().map((u) => u.id),
    ['acme.tick-events@1.0.0'],
  );

  await f.manager.install(built.archive);
  assert.equal((globalThis as { execProbeLoaded?: boolean }).execProbeLoaded, undefined, "the bundle set a global in its own realm, not the node's");
  f.slee.activateService(execProbe);
  const activity = f.ra.startActivity();
  await f.ra.fire(activity, TickEvent, { n: 7 });
  const root = rootsOf(f.slee, execProbe)[0];
  assert.ok(root, 'the async handler ran and committed');
  assert.equal(root.cmp.output, 'tick 7', 'the declared built-in was reachable');
  assert.equal((root.cmp.seenAt as Date).getTime(), 7_000);
  assert.deepEqual(root.cmp.last, { n: 7, tags: ['async', 'realm'] });
  await f.close();
});

test('at run time the bundle realm refuses computed requires and restricted process members, and has a global object of its own', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sleet-realm-'));
  await writeFile(
    join(dir, 'probe.js'),
    [
      "'use strict';",
      "const name = ['child', 'process'].join('_');",
      'exports.requireComputed = () => require(name);',
      "exports.exitComputed = () => process['ex' + 'it'](3);",
      'exports.tick = (fn) => process.nextTick(fn);',
      'exports.globalObject = () => globalThis;',
      "exports.sleet = () => require('sleet');",
    ].join('\n'),
  );
  const loader = new BundleModuleLoader(dir, { builtins: [], packages: [] }, 'acme.realm@1.0.0');
  const probe = loader.load('probe.js') as Record<string, (...args: unknown[]) => unknown>;
  assert.throws(
    () => probe.requireComputed!(),
    (err: unknown) => SleetError.is(err, ErrorCode.BUNDLE_PERMISSION) && /requires Node built-in 'child_process'/.test(err.message),
  );
  assert.throws(
    () => probe.exitComputed!(),
    (err: unknown) => SleetError.is(err, ErrorCode.BUNDLE_PERMISSION) && /uses process\.exit, which the bundle does not declare/.test(err.message),
  );
  await new Promise<void>((resolve) => probe.tick!(resolve));
  assert.notEqual(probe.globalObject!(), globalThis);
  assert.equal(probe.sleet!(), await import('../../slee/index.js'), "the bundle gets the node's own instance of Sleet's API");
  loader.dispose();
});
