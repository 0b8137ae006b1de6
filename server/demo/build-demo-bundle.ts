import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildResult } from '../../sdk/build/build-bundle.js';
import { buildBundleCached } from '../../sdk/build/build-bundle-cached.js';

const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));
/** Beside the compiled code, so `npm run build` fills it and a first `npm start` finds the bundles built. */
const cacheDir = fileURLToPath(new URL('../../demo-bundles/', import.meta.url));

/** Builds an example project into a bundle with the SDK, reusing the build of the same sources. */
export function buildDemoBundle(example: string): Promise<BuildResult> {
  return buildBundleCached(join(examplesDir, example), cacheDir);
}
