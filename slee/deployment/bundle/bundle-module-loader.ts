import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, relative, resolve } from 'node:path';
import { compileFunction, createContext, runInContext, type Context } from 'node:vm';
import { SleetError } from '../../../base/errors/sleet-error.js';
import { ErrorCode } from '../../../base/errors/error-codes.js';
import { realmIntrinsics } from '../../component-model/realm-intrinsics.js';
import type { BundlePermissions } from './bundle-descriptor.js';
import { decideRequire } from './bundle-require-policy.js';
import { restrictedProcess } from './bundle-process.js';
import { resolveBundleModule } from './resolve-bundle-module.js';

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
 * Host functions a bundle's realm gets as globals: scheduling, text and
 * binary data, URLs. `Reflect` is the node's, so decorator metadata written
 * by a bundle is read by the component model from the same registry.
 */
const SHARED_GLOBALS = [
  'console',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'queueMicrotask',
  'structuredClone',
  'Buffer',
  'URL',
  'URLSearchParams',
  'TextEncoder',
  'TextDecoder',
  'AbortController',
  'AbortSignal',
  'EventTarget',
  'Event',
  'atob',
  'btoa',
  'performance',
  'crypto',
  'Reflect',
] as const;

const INTRINSICS = '({ String, Number, Boolean, BigInt, Symbol, Array, Object, Date, Function, Map, Set, Promise })';

/**
 * Loads one bundle's CommonJS modules into a realm of its own (a vm
 * context), with a module cache of its own. Its `require` reaches only the
 * bundle's modules, Sleet's public API and what the descriptor's
 * permissions declare; its `globalThis` is not the node's. Nothing it loads
 * is registered with Node's module system, so dropping the loader (and the
 * classes it produced) lets the bundle and its realm be collected.
 */
export class BundleModuleLoader {
  private cache = new Map<string, BundleModule>();
  private readonly context: Context;
  /** The bundle file whose code is loading (else the bundle's name), for the restricted process's messages. */
  private current: string;

  constructor(
    readonly root: string,
    private readonly permissions: BundlePermissions,
    name: string,
  ) {
    this.root = resolve(root);
    this.current = name;
    const globals: Record<string, unknown> = {};
    for (const key of SHARED_GLOBALS) globals[key] = (globalThis as Record<string, unknown>)[key];
    globals.process = permissions.builtins.includes('process') ? process : restrictedProcess(() => this.current);
    this.context = createContext(globals, { name: `sleet bundle ${name}` });
    runInContext('globalThis.global = globalThis', this.context);
    realmIntrinsics.register(runInContext(INTRINSICS, this.context));
  }

  /** The exports of a module given by its path relative to the bundle root. */
  load(modulePath: string): unknown {
    return this.loadFile(this.resolveInside(this.root, `./${modulePath}`, modulePath));
  }

  /** Forgets every module, so nothing here keeps the bundle's code alive. */
  dispose(): void {
    this.cache.clear();
  }

  private requireFrom(fromFile: string, specifier: string): unknown {
    const decision = decideRequire(relative(this.root, fromFile), specifier, this.permissions);
    if (decision.kind === 'refused') throw new SleetError(decision.code, decision.reason);
    if (decision.kind === 'bundle') return this.loadFile(this.resolveInside(dirname(fromFile), specifier, specifier));
    return hostRequire(decision.id);
  }

  private resolveInside(fromDir: string, specifier: string, shown: string): string {
    const file = resolveBundleModule(this.root, fromDir, specifier);
    if (file === 'outside') throw new SleetError(ErrorCode.BUNDLE_LOAD_FAILED, `module '${shown}' is outside the bundle`);
    if (file === 'missing') {
      throw new SleetError(ErrorCode.BUNDLE_LOAD_FAILED, `cannot find module '${shown}' in the bundle (from ${relative(this.root, fromDir) || '.'})`);
    }
    return file;
  }

  private loadFile(filename: string): unknown {
    const cached = this.cache.get(filename);
    if (cached) return cached.exports;
    const module: BundleModule = { exports: runInContext('({})', this.context), id: filename, filename, loaded: false };
    this.cache.set(filename, module);
    const previous = this.current;
    this.current = relative(this.root, filename);
    try {
      const source = readFileSync(filename, 'utf8');
      if (extname(filename) === '.json') {
        module.exports = (runInContext('JSON', this.context) as JSON).parse(source);
      } else {
        const wrapper = compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], {
          filename,
          parsingContext: this.context,
        }) as ModuleWrapper;
        wrapper.call(module.exports, module.exports, (specifier) => this.requireFrom(filename, specifier), module, filename, dirname(filename));
      }
      module.loaded = true;
      return module.exports;
    } catch (err) {
      this.cache.delete(filename);
      if (SleetError.is(err, ErrorCode.BUNDLE_LOAD_FAILED) || SleetError.is(err, ErrorCode.BUNDLE_PERMISSION)) throw err;
      throw new SleetError(ErrorCode.BUNDLE_LOAD_FAILED, `${relative(this.root, filename)} failed to load: ${(err as Error).message}`, { cause: err });
    } finally {
      this.current = previous;
    }
  }
}
