import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { compileFunction } from 'node:vm';
import { SleetError } from '../../errors/sleet-error.js';
import { ErrorCode } from '../../errors/error-codes.js';

interface BundleModule {
  exports: unknown;
  readonly id: string;
  readonly filename: string;
  loaded: boolean;
}

type ModuleWrapper = (exports: unknown, require: (specifier: string) => unknown, module: BundleModule, filename: string, dirname: string) => void;

/**
 * The host's require: `sleet` and `sleet/*` resolve through the package's
 * own exports (self-reference), so bundles share the running SLEE's module
 * instances — its decorators, metadata keys and event-type objects.
 */
const hostRequire = createRequire(import.meta.url);

/**
 * Loads one bundle's CommonJS modules with a module cache of its own.
 * Nothing it loads is registered with Node's module system, so dropping
 * the loader (and the classes it produced) lets the bundle be collected;
 * ESM's cache-busting imports would keep every version forever.
 */
export class BundleModuleLoader {
  private cache = new Map<string, BundleModule>();

  constructor(readonly root: string) {
    this.root = resolve(root);
  }

  /** The exports of a module given by its path relative to the bundle root. */
  load(modulePath: string): unknown {
    return this.loadFile(this.resolveInside(this.root, `./${modulePath}`, modulePath));
  }

  /** Forgets every module, so nothing here keeps the bundle's code alive. */
  dispose(): void {
    this.cache.clear();
  }

  private requireFrom(fromDir: string, specifier: string): unknown {
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
      return this.loadFile(this.resolveInside(fromDir, specifier, specifier));
    }
    // Builtins, 'sleet', 'sleet/*', 'reflect-metadata' and other packages: the host's own.
    return hostRequire(specifier);
  }

  private resolveInside(fromDir: string, specifier: string, shown: string): string {
    const base = resolve(fromDir, specifier);
    const rel = relative(this.root, base);
    if (rel.startsWith('..') || rel.startsWith(sep)) {
      throw new SleetError(ErrorCode.BUNDLE_LOAD_FAILED, `module '${shown}' is outside the bundle`);
    }
    for (const candidate of [base, `${base}.js`, `${base}.cjs`, `${base}.json`, join(base, 'index.js')]) {
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // Not this candidate; try the next extension.
      }
    }
    throw new SleetError(ErrorCode.BUNDLE_LOAD_FAILED, `cannot find module '${shown}' in the bundle (from ${relative(this.root, fromDir) || '.'})`);
  }

  private loadFile(filename: string): unknown {
    const cached = this.cache.get(filename);
    if (cached) return cached.exports;
    const module: BundleModule = { exports: {}, id: filename, filename, loaded: false };
    this.cache.set(filename, module);
    try {
      const source = readFileSync(filename, 'utf8');
      if (extname(filename) === '.json') {
        module.exports = JSON.parse(source);
      } else {
        const wrapper = compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename }) as ModuleWrapper;
        const dir = dirname(filename);
        wrapper.call(module.exports, module.exports, (specifier) => this.requireFrom(dir, specifier), module, filename, dir);
      }
      module.loaded = true;
      return module.exports;
    } catch (err) {
      this.cache.delete(filename);
      if (SleetError.is(err, ErrorCode.BUNDLE_LOAD_FAILED)) throw err;
      throw new SleetError(ErrorCode.BUNDLE_LOAD_FAILED, `${relative(this.root, filename)} failed to load: ${(err as Error).message}`, { cause: err });
    }
  }
}
