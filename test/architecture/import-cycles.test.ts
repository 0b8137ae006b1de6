import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cycles, importGraph } from './import-graph.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The folder-local cycles left, each documented in docs/architecture.md
 * ("Import cycles"); every edge that closes them is a type import.
 */
const DOCUMENTED = [
  [
    'resource-adaptors/sip/ra/b2bua-activity.ts',
    'resource-adaptors/sip/ra/server-transaction-activity.ts',
    'resource-adaptors/sip/ra/sip-event-types.ts',
    'resource-adaptors/sip/ra/sip-events.ts',
  ],
  [
    'resource-adaptors/sip/transaction/client-transaction.ts',
    'resource-adaptors/sip/transaction/server-transaction.ts',
    'resource-adaptors/sip/transaction/transaction-context.ts',
    'resource-adaptors/sip/transaction/transaction-user.ts',
    'resource-adaptors/sip/transaction/transaction.ts',
  ],
];

const folderOf = (file: string) => dirname(file);

test('no import cycles between files of the core, profiles, server and base', () => {
  assert.deepEqual(cycles(importGraph(['base', 'slee', 'profiles', 'server'])), []);
});

test('elsewhere, the only cycles are the documented ones, each within one folder', () => {
  const found = cycles(importGraph(['resource-adaptors', 'sbbs', 'sdk', 'examples', 'bench', 'scripts']));
  for (const c of found) assert.equal(new Set(c.map(folderOf)).size, 1, `a cycle across folders: ${c.join(' → ')}`);
  assert.deepEqual(found.map((c) => c.join()).sort(), DOCUMENTED.map((c) => c.join()).sort());
});

test('the known dependency-cruiser violations are documented folder-local cycles only', () => {
  const known: Array<{ type: string; from: string; rule: { name: string }; cycle?: Array<{ name: string }> }> = JSON.parse(
    readFileSync(resolve(root, '.dependency-cruiser-known-violations.json'), 'utf8'),
  );
  for (const v of known) {
    assert.equal(v.rule.name, 'no-circular', `only folder-local cycles may be known violations: ${v.rule.name} from ${v.from}`);
    const files = [v.from, ...(v.cycle ?? []).map((c) => c.name)];
    assert.ok(
      DOCUMENTED.some((d) => files.every((f) => d.includes(f))),
      `a known cycle that docs/architecture.md does not document: ${files.join(' → ')}`,
    );
  }
});
