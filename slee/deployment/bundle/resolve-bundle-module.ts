import { statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/**
 * The file a relative specifier names inside a bundle, tried as given and
 * with `.js`, `.cjs`, `.json` and `/index.js`, as CommonJS does; `outside`
 * when it would leave the bundle root, `missing` when nothing is there.
 */
export function resolveBundleModule(root: string, fromDir: string, specifier: string): string | 'outside' | 'missing' {
  const base = resolve(fromDir, specifier);
  const rel = relative(root, base);
  if (rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith(sep)) return 'outside';
  for (const candidate of [base, `${base}.js`, `${base}.cjs`, `${base}.json`, join(base, 'index.js')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not this candidate; try the next extension.
    }
  }
  return 'missing';
}
