import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildResult } from '../../sdk/build/build-bundle.js';
import { buildBundleCached } from '../../sdk/build/build-bundle-cached.js';

/** The fixture service projects' sources (test/fixtures is not compiled to dist). */
export const fixtureProjectsDir = fileURLToPath(new URL('../../../test/fixtures/bundles/', import.meta.url));

export type FixtureProject = 'tick-events' | 'counter-v1' | 'counter-v2' | 'sip-uas-v1' | 'sip-uas-v2' | 'exec-probe';

const builds = new Map<string, Promise<BuildResult>>();

/** Builds a fixture project with the SDK, cached on disk so test files share the builds. */
export function fixtureBundle(name: FixtureProject): Promise<BuildResult> {
  let build = builds.get(name);
  if (!build) {
    build = buildBundleCached(join(fixtureProjectsDir, name), join(tmpdir(), 'sleet-fixture-bundles'));
    builds.set(name, build);
  }
  return build;
}

/** Bundles written by hand (a descriptor and CommonJS), as a deployer without the SDK would. */
export const rawBundlesDir = fileURLToPath(new URL('../../../test/fixtures/raw-bundles/', import.meta.url));
