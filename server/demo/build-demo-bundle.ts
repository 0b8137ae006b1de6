import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildResult } from '../../sdk/build/build-bundle.js';
import { buildBundlesCached } from '../../sdk/build/build-bundle-cached.js';

const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));
/** Beside the compiled code, so `npm run build` fills it and a first `npm start` finds the bundles built. */
const cacheDir = fileURLToPath(new URL('../../demo-bundles/', import.meta.url));

/** Builds example projects into bundles with the SDK, reusing the builds of the same sources; one promise per example. */
export function buildDemoBundles(examples: readonly string[]): Promise<BuildResult>[] {
  return buildBundlesCached(
    examples.map((example) => join(examplesDir, example)),
    cacheDir,
  );
}
