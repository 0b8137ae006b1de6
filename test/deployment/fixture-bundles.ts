import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, type BuildResult } from '../../sdk/build/build-bundle.js';
import type { BundleDescriptor } from '../../slee/deployment/bundle/bundle-descriptor.js';

/** The fixture service projects' sources (test/fixtures is not compiled to dist). */
export const fixtureProjectsDir = fileURLToPath(new URL('../../../test/fixtures/bundles/', import.meta.url));
const sdkDist = fileURLToPath(new URL('../../sdk/', import.meta.url));

export type FixtureProject = 'tick-events' | 'counter-v1' | 'counter-v2' | 'sip-uas-v1' | 'sip-uas-v2';

function hashTree(dir: string, hash: ReturnType<typeof createHash>): void {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === 'build' || name === 'node_modules') continue;
    if (statSync(path).isDirectory()) hashTree(path, hash);
    else hash.update(path).update(readFileSync(path));
  }
}

const builds = new Map<string, Promise<BuildResult>>();

/**
 * Builds a fixture project with the SDK. Builds are cached on disk by the
 * hash of the project and the SDK's code, so test files share them.
 */
export function fixtureBundle(name: FixtureProject): Promise<BuildResult> {
  let build = builds.get(name);
  if (!build) {
    build = (async () => {
      const hash = createHash('sha256');
      hashTree(join(fixtureProjectsDir, name), hash);
      hashTree(sdkDist, hash);
      const outDir = join(tmpdir(), 'sleet-fixture-bundles', `${name}-${hash.digest('hex').slice(0, 16)}`);
      const archive = join(outDir, `${name.replace(/-v\d$/, '')}-${name.endsWith('v2') ? '2' : '1'}.0.0.tgz`);
      if (!existsSync(archive)) {
        await mkdir(join(tmpdir(), 'sleet-fixture-bundles'), { recursive: true });
        const staging = await mkdtemp(join(tmpdir(), 'sleet-fixture-bundles', `${name}-build-`));
        await buildBundle(join(fixtureProjectsDir, name), { outDir: staging });
        await rename(staging, outDir).catch(() => rm(staging, { recursive: true, force: true }));
      }
      const bundleDir = join(outDir, 'bundle');
      const descriptor = JSON.parse(await readFile(join(bundleDir, 'sleet-bundle.json'), 'utf8')) as BundleDescriptor;
      return { bundleDir, archive, descriptor };
    })();
    builds.set(name, build);
  }
  return build;
}
