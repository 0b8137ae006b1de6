import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { buildBundleCached, buildBundlesCached } from '../../sdk/build/build-bundle-cached.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { fixtureProjectsDir } from '../deployment/fixture-bundles.js';

const gc = (globalThis as { gc?: () => void }).gc;

/** An empty cache directory, removed when the test ends. */
function emptyCache(t: TestContext): string {
  const cache = mkdtempSync(join(tmpdir(), 'sleet-bundle-cache-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  return cache;
}

async function heapAfterGc(): Promise<number> {
  assert.ok(gc, 'needs node --expose-gc (test/run-tests.mjs passes it)');
  for (let i = 0; i < 3; i++) {
    await tick();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

test("a cache miss builds the bundle without leaving the compiler in the caller's heap", async (t) => {
  const cache = emptyCache(t);
  const before = await heapAfterGc();
  const built = await buildBundleCached(join(fixtureProjectsDir, 'tick-events'), cache);
  const grown = (await heapAfterGc()) - before;
  assert.ok(existsSync(built.archive), 'the packed bundle is in the cache');
  assert.equal(built.descriptor.unit.name, 'tick-events');
  // Loaded into the caller, TypeScript and ts-morph keep some 40 MiB alive for good.
  assert.ok(grown < 8 * 1024 * 1024, `the caller's heap grew by ${(grown / 1024 / 1024).toFixed(1)} MiB`);

  const again = await buildBundleCached(join(fixtureProjectsDir, 'tick-events'), cache);
  assert.equal(again.archive, built.archive, 'the same sources are a cache hit');
});

test('a broken project fails alone with the SDK error and its details, and leaves nothing in the cache', async (t) => {
  const cache = emptyCache(t);
  const [broken, fine] = buildBundlesCached([join(fixtureProjectsDir, 'broken-sbb'), join(fixtureProjectsDir, 'tick-events')], cache);
  // The broken build settles first, while nothing awaits it yet: that must not be an unhandled rejection.
  assert.equal((await fine!).descriptor.unit.name, 'tick-events');
  const err = await broken!.then(
    () => assert.fail('a broken project must not build'),
    (e: unknown) => e,
  );
  assert.ok(SleetError.is(err, ErrorCode.SDK_VALIDATION), String(err));
  assert.match(err.message, /^validation failed:\nsrc\/broken-sbb\.ts:6:10: error: CMP field seen/);
  assert.equal((err.details as string[]).length, 6);
  assert.deepEqual(
    readdirSync(cache).filter((name) => name.startsWith('broken-sbb')),
    [],
    'no half-built staging directory is left behind',
  );
});

test('a project that cannot be read, or a cache that cannot be written, fails that build alone and throws nothing at the caller', async (t) => {
  const cache = emptyCache(t);
  const [missing, fine] = buildBundlesCached([join(fixtureProjectsDir, 'no-such-project'), join(fixtureProjectsDir, 'tick-events')], cache);
  assert.equal((await fine!).descriptor.unit.name, 'tick-events');
  await assert.rejects(missing!, /no-such-project/);

  const file = join(cache, 'a-file');
  writeFileSync(file, '');
  const [unwritable] = buildBundlesCached([join(fixtureProjectsDir, 'counter-v1')], join(file, 'cache'));
  await assert.rejects(unwritable!, /ENOTDIR/);
});
