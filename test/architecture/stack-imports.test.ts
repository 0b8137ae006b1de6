import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importGraph } from './import-graph.js';

test('the SIP stack (resource-adaptors/sip/ but its adaptor ra/) imports nothing but itself and base/: it is a library', () => {
  const outside = [...importGraph(['resource-adaptors/sip'])]
    .filter(([file]) => !file.startsWith('resource-adaptors/sip/ra/'))
    .flatMap(([file, targets]) =>
      targets
        .filter((t) => (!t.startsWith('resource-adaptors/sip/') && !t.startsWith('base/')) || t.startsWith('resource-adaptors/sip/ra/'))
        .map((t) => `${file} -> ${t}`),
    );
  assert.deepEqual(outside, []);
});
