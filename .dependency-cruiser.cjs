/**
 * Dependency rules (docs/architecture.md, docs/contributing.md). `npm run lint:deps`
 * checks them; .dependency-cruiser-known-violations.json lists the violations still
 * allowed (the folder-local cycles documented in docs/architecture.md), so only new
 * ones fail. Regenerate that file (`npm run lint:deps:baseline`) only when it shrinks.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-only-core',
      comment: 'slee/ is the core: it imports nothing from the layers built on it.',
      severity: 'error',
      from: { path: '^slee/' },
      to: { path: '^(profiles|resource-adaptors|sbbs|sdk|server|examples|console)/' },
    },
    {
      name: 'sip-stack-is-a-library',
      comment: 'The SIP stack (resource-adaptors/sip/ except the adaptor in ra/) imports nothing from the SLEE.',
      severity: 'error',
      from: { path: '^resource-adaptors/sip/', pathNot: '^resource-adaptors/sip/ra/' },
      to: { path: '^(slee|profiles)/' },
    },
    {
      name: 'base-imports-only-base',
      comment: 'base/ is shared by every layer, so it imports only itself and Node built-ins.',
      severity: 'error',
      from: { path: '^base/' },
      to: { pathNot: '^base/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'no-cross-folder-cycle',
      comment:
        'A cycle through files of more than one folder ties the folders together. Never allowed: test/architecture/import-cycles.test.ts fails if the known-violations file lists one.',
      severity: 'error',
      from: { path: '^(.+)/[^/]+$' },
      to: { circular: true, via: { pathNot: '^$1/[^/]+$' } },
    },
    {
      name: 'no-circular',
      comment:
        'Import cycles between files of one folder make the load order fragile. The few left are documented in docs/architecture.md ("Import cycles") and listed in the known-violations file.',
      severity: 'error',
      from: { path: '^(.+)/[^/]+$' },
      to: { circular: true, viaOnly: { path: '^$1/[^/]+$' } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing fails at run time.',
      severity: 'error',
      from: {},
      // better-sqlite3-node22 is an optional dependency, installed only where Node 22+ needs it.
      to: { couldNotResolve: true, pathNot: '^better-sqlite3-node22$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|test/fixtures|bench/results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.d.ts'],
    },
  },
};
