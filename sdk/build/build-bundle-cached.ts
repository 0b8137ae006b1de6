import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildResult } from './build-bundle.js';
import type { BundleDescriptor } from '../../slee/deployment/bundle/bundle-descriptor.js';

const sdkDir = fileURLToPath(new URL('../', import.meta.url));

function hashTree(dir: string, hash: ReturnType<typeof createHash>): void {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'build' || name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) hashTree(path, hash);
    else hash.update(path).update(readFileSync(path));
  }
}

/**
 * Builds a project into `<cacheDir>/<name>-<hash>`, reusing an earlier build
 * of the same sources and SDK. The build is staged and renamed into place,
 * so processes sharing the cache never see half a bundle. The builder (and
 * with it the TypeScript compiler, some 30 MiB of heap) is loaded only on a
 * miss, so a node serving built bundles does not carry it.
 */
export async function buildBundleCached(projectDir: string, cacheDir: string): Promise<BuildResult> {
  const hash = createHash('sha256');
  hashTree(projectDir, hash);
  hashTree(sdkDir, hash);
  const outDir = join(cacheDir, `${basename(projectDir)}-${hash.digest('hex').slice(0, 16)}`);
  const archiveIn = (dir: string) => readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!existsSync(outDir) || !archiveIn(outDir)) {
    await mkdir(cacheDir, { recursive: true });
    const staging = await mkdtemp(join(cacheDir, `${basename(projectDir)}-build-`));
    const { buildBundle } = await import('./build-bundle.js');
    await buildBundle(projectDir, { outDir: staging });
    await rm(outDir, { recursive: true, force: true });
    await rename(staging, outDir).catch(() => rm(staging, { recursive: true, force: true }));
  }
  const bundleDir = join(outDir, 'bundle');
  const descriptor = JSON.parse(await readFile(join(bundleDir, 'sleet-bundle.json'), 'utf8')) as BundleDescriptor;
  return { bundleDir, archive: join(outDir, archiveIn(outDir)!), descriptor };
}
