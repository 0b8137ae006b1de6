import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildResult } from './build-bundle.js';
import { buildInWorker } from './build-in-worker.js';
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

function cachedDir(projectDir: string, cacheDir: string): string {
  const hash = createHash('sha256');
  hashTree(projectDir, hash);
  hashTree(sdkDir, hash);
  return join(cacheDir, `${basename(projectDir)}-${hash.digest('hex').slice(0, 16)}`);
}

const archiveIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.tgz')) : undefined);

async function cachedResult(outDir: string): Promise<BuildResult> {
  const bundleDir = join(outDir, 'bundle');
  const descriptor = JSON.parse(await readFile(join(bundleDir, 'sleet-bundle.json'), 'utf8')) as BundleDescriptor;
  return { bundleDir, archive: join(outDir, archiveIn(outDir)!), descriptor };
}

/** Where one project's build stands before anything is built: in the cache, to build (staged), or failed already. */
type Plan = { readonly outDir: string } | { readonly projectDir: string; readonly outDir: string; readonly staging: string } | { readonly error: unknown };

function plan(projectDir: string, cacheDir: string): Plan {
  try {
    const outDir = cachedDir(projectDir, cacheDir);
    if (archiveIn(outDir)) return { outDir };
    mkdirSync(cacheDir, { recursive: true });
    return { projectDir, outDir, staging: mkdtempSync(join(cacheDir, `${basename(projectDir)}-build-`)) };
  } catch (error) {
    return { error };
  }
}

/** Moves a finished build into place, or clears its staging directory when it failed. */
async function place(build: Promise<void>, staging: string, outDir: string): Promise<void> {
  try {
    await build;
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  await rm(outDir, { recursive: true, force: true });
  await rename(staging, outDir).catch(() => rm(staging, { recursive: true, force: true }));
}

/**
 * Builds projects into `<cacheDir>/<name>-<hash>`, reusing an earlier build
 * of the same sources and SDK; one promise per project, in order, each
 * settling on its own: a project that cannot be read or built fails alone,
 * and nothing is thrown at the caller. Builds are staged and renamed into
 * place, so processes sharing the cache never see half a bundle, and a
 * failed one leaves nothing. The misses build one after the other on one
 * worker thread (`buildInWorker`), so the caller never loads the
 * TypeScript compiler and the compiler loads once for all of them.
 */
export function buildBundlesCached(projectDirs: readonly string[], cacheDir: string): Promise<BuildResult>[] {
  const plans = projectDirs.map((projectDir) => plan(projectDir, cacheDir));
  const misses = plans.filter((p) => 'staging' in p);
  const building = misses.length === 0 ? [] : buildInWorker(misses.map(({ projectDir, staging }) => ({ projectDir, outDir: staging })));
  const placed = new Map<Plan, Promise<void>>(misses.map((m, i) => [m, place(building[i]!, m.staging, m.outDir)]));
  return plans.map((p) => {
    const result = 'error' in p ? Promise.reject(p.error) : (placed.get(p) ?? Promise.resolve()).then(() => cachedResult(p.outDir));
    // Settled while the caller still awaits an earlier project's: the caller sees the failure when it gets here.
    result.catch(() => {});
    return result;
  });
}

/** `buildBundlesCached` for one project. */
export function buildBundleCached(projectDir: string, cacheDir: string): Promise<BuildResult> {
  return buildBundlesCached([projectDir], cacheDir)[0]!;
}
