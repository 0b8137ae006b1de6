import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importGraph } from './import-graph.js';

test('the core (slee/) imports nothing but itself and base/', () => {
  const outside = [...importGraph(['slee'])].flatMap(([file, targets]) =>
    targets.filter((t) => !t.startsWith('slee/') && !t.startsWith('base/')).map((t) => `${file} -> ${t}`),
  );
  assert.deepEqual(outside, []);
});
