import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The root of the Sleet package this SDK belongs to (its package.json is there). */
export const sleetPackageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface SleetModule {
  /** `sleet` or `sleet/<sub>`, as services import it. */
  readonly specifier: string;
  /** The compiled declaration file the compiler and the analyser read. */
  readonly declarationFile: string;
  /** The compiled module itself: loaded by path, as the package's registry name is not the name services import. */
  readonly moduleFile: string;
}

/**
 * The modules services may import from Sleet, from the package's own
 * `exports`: compiling against this SDK's Sleet means bundles are checked
 * against the SLEE they will run in, wherever the project lives.
 */
export function sleetModules(): SleetModule[] {
  const pkg = JSON.parse(readFileSync(resolve(sleetPackageRoot, 'package.json'), 'utf8')) as { exports: Record<string, string> };
  const modules: SleetModule[] = [];
  for (const [key, target] of Object.entries(pkg.exports)) {
    if (!target.endsWith('.js')) continue;
    const declarationFile = resolve(sleetPackageRoot, target.replace(/\.js$/, '.d.ts'));
    if (!existsSync(declarationFile)) continue;
    modules.push({ specifier: key === '.' ? 'sleet' : `sleet/${key.slice(2)}`, declarationFile, moduleFile: resolve(sleetPackageRoot, target) });
  }
  return modules;
}

/** Compiler `paths` mapping each Sleet module to its declarations. */
export function sleetTypePaths(): Record<string, string[]> {
  return Object.fromEntries(sleetModules().map((m) => [m.specifier, [m.declarationFile]]));
}
