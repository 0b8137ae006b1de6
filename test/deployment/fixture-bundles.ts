import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, type BuildResult } from '../../sdk/build/build-bundle.js';

/** The fixture service projects' sources (test/fixtures is not compiled to dist). */
export const fixtureProjectsDir = fileURLToPath(new URL('../../../test/fixtures/bundles/', import.meta.url));

export type FixtureProject = 'tick-events' | 'counter-v1' | 'counter-v2';

const builds = new Map<string, Promise<BuildResult>>();

/** Builds a fixture project with the SDK, once per test process. */
export function fixtureBundle(name: FixtureProject): Promise<BuildResult> {
  let build = builds.get(name);
  if (!build) {
    build = mkdtemp(join(tmpdir(), `sleet-${name}-`)).then((outDir) => buildBundle(join(fixtureProjectsDir, name), { outDir }));
    builds.set(name, build);
  }
  return build;
}
