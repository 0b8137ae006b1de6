import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ErrorCode, type SleetErrorCode } from '../../../base/errors/error-codes.js';
import type { BundlePermissions } from './bundle-descriptor.js';

/** What a `require` from a bundle module reaches, or why it may not. */
export type RequireDecision =
  | { readonly kind: 'bundle' }
  | { readonly kind: 'host'; readonly id: string }
  | { readonly kind: 'refused'; readonly code: SleetErrorCode; readonly reason: string };

/**
 * Built-ins with no I/O and no control over the process: pure computation
 * every bundle may use without declaring it.
 */
export const FREE_BUILTINS: ReadonlySet<string> = new Set([
  'assert',
  'buffer',
  'crypto',
  'events',
  'path',
  'querystring',
  'string_decoder',
  'timers',
  'url',
  'util',
]);

/** Members of `process` a bundle may use without declaring `process`: facts about the runtime and scheduling. */
export const FREE_PROCESS_MEMBERS: ReadonlySet<string> = new Set([
  'arch',
  'emitWarning',
  'hrtime',
  'memoryUsage',
  'nextTick',
  'platform',
  'release',
  'uptime',
  'version',
  'versions',
]);

/** The package root, from this file's place in dist/: not by name, which is a scoped registry name. */
const packageRoot = new URL('../../../../', import.meta.url);

/**
 * Sleet's public API, from the package's own `exports`: what every bundle
 * may require, as `sleet` or `sleet/<sub>`, mapped to this node's files
 * whatever the package is published as.
 */
const SLEET_MODULES: ReadonlyMap<string, string> = new Map(
  Object.entries((JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as { exports: Record<string, string> }).exports)
    .filter(([key]) => key !== './package.json')
    .map(([key, target]) => [key === '.' ? 'sleet' : `sleet/${key.slice(2)}`, fileURLToPath(new URL(target, packageRoot))]),
);

/** Shared with the host so decorator metadata lands in one registry. */
const ALWAYS = new Set(['reflect-metadata']);

const WHERE = `in sleet-bundle.json ("sleet.permissions.builtins" in the project's package.json)`;

/** The reason a bundle file may not use a member of `process`. */
export function processMemberReason(file: string, member: string): string {
  return `${file} uses process.${member}, which the bundle does not declare; add "process" to permissions.builtins ${WHERE}`;
}

/**
 * Decides a `require(specifier)` from `file` (relative to the bundle root):
 * its own modules, Sleet's public API, reflect-metadata, and only the
 * built-ins and packages the descriptor's permissions name.
 */
export function decideRequire(file: string, specifier: string, permissions: BundlePermissions): RequireDecision {
  if (specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../')) return { kind: 'bundle' };
  if (isBuiltin(specifier)) {
    const name = specifier.replace(/^node:/, '');
    const top = name.split('/')[0]!;
    if (FREE_BUILTINS.has(top) || permissions.builtins.includes(top) || permissions.builtins.includes(name)) return { kind: 'host', id: `node:${name}` };
    return {
      kind: 'refused',
      code: ErrorCode.BUNDLE_PERMISSION,
      reason: `${file} requires Node built-in '${specifier}', which the bundle does not declare; add "${top}" to permissions.builtins ${WHERE}`,
    };
  }
  const sleetModule = SLEET_MODULES.get(specifier);
  if (sleetModule) return { kind: 'host', id: sleetModule };
  if (ALWAYS.has(specifier)) return { kind: 'host', id: specifier };
  if (specifier === 'sleet' || specifier.startsWith('sleet/')) {
    return {
      kind: 'refused',
      code: ErrorCode.BUNDLE_INVALID,
      reason: `${file} requires '${specifier}', which is not part of Sleet's public API (${[...SLEET_MODULES.keys()].join(', ')})`,
    };
  }
  if (specifier.startsWith('/') || /^[a-zA-Z]:/.test(specifier)) {
    return {
      kind: 'refused',
      code: ErrorCode.BUNDLE_INVALID,
      reason: `${file} requires '${specifier}' by absolute path; a bundle requires only its own modules and declared packages`,
    };
  }
  const parts = specifier.split('/');
  const pkg = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  if (permissions.packages.includes(pkg)) return { kind: 'host', id: specifier };
  return {
    kind: 'refused',
    code: ErrorCode.BUNDLE_PERMISSION,
    reason: `${file} requires package '${pkg}', which the bundle does not declare; add "${pkg}" to permissions.packages in sleet-bundle.json (the project's package.json "dependencies")`,
  };
}
