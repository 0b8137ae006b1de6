import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Type assertions (`x as T`, `<T>x`) and non-null assertions (`x!`) in a file; `as const` is no cast. */
function casts(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const isCast = (ts.isAsExpression(node) && node.type.getText(sf) !== 'const') || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node);
    if (isCast) found.push(`${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}: ${node.getText(sf)}`);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

test('the examples cast nothing: events, activities, selectors, bodies and timer payloads are typed', () => {
  assert.deepEqual(sources('examples').flatMap(casts), []);
});

test('no SBB checks whether its request was answered: skipAnswered and the answering helpers do', () => {
  const guarded = [...sources('examples'), ...sources('sbbs')].filter((f) => /isAnswered|transaction === null/.test(readFileSync(join(root, f), 'utf8')));
  assert.deepEqual(guarded, []);
});

test('the call-forwarding SBB fits on one screen', () => {
  const lines = readFileSync(join(root, 'examples/call-forwarding/src/call-forwarding-sbb.ts'), 'utf8').trimEnd().split('\n').length;
  assert.ok(lines <= 60, `${lines} lines`);
});

test('the no-answer bridge SBB fits on one screen', () => {
  const lines = readFileSync(join(root, 'examples/no-answer-bridge/src/no-answer-bridge-sbb.ts'), 'utf8').trimEnd().split('\n').length;
  assert.ok(lines <= 45, `${lines} lines`);
});
