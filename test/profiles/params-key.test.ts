import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { paramsKey } from '../../profiles/facility/params-key.js';

describe('static query cache keys', () => {
  const texts = ['sip:alice@example.com', '', 'a"b', 'back\\slash', '"],["x",', '"string","x', '\u0000\u001f', 'ünïcödé ✓', '\ud83d\ude00', 'lone \ud800'];

  it('tells apart every pair of different parameters, the one-text lookup from all others', () => {
    const cases: Record<string, unknown>[] = [
      ...texts.map((text) => ({ aor: text })),
      ...texts.map((text) => ({ user: text })),
      { aor: 1 },
      { aor: '1' },
      { aor: null },
      { aor: undefined },
      { aor: 'null' },
      { aor: Number.NaN },
      { aor: Number.POSITIVE_INFINITY },
      { aor: true },
      { aor: 'true' },
      { aor: 5n },
      { aor: '5n' },
      { aor: '5' },
      { aor: new Date(0) },
      { aor: '@0' },
      { aor: 0 },
      { aor: 'x', user: 'y' },
      { aor: 'x', user: 'string' },
      { aor: ['x'] },
    ];
    const seen = new Map<string, string>();
    for (const params of cases) {
      const key = paramsKey(params);
      const shown = JSON.stringify(params, (_k, v: unknown) => (typeof v === 'bigint' ? `${v} (bigint)` : v === undefined ? '(undefined)' : v));
      assert.equal(seen.get(key), undefined, `${shown} and ${seen.get(key)} share ${key}`);
      seen.set(key, shown);
    }
  });

  it('gives the same parameters the same key, in any order', () => {
    assert.equal(paramsKey({ user: 'y', aor: 'x' }), paramsKey({ aor: 'x', user: 'y' }));
    assert.equal(paramsKey({ aor: 'sip:bob@example.com' }), paramsKey({ aor: ['sip:bob', 'example.com'].join('@') }));
    assert.equal(paramsKey({ at: new Date(5) }), paramsKey({ at: new Date(5) }));
  });
});
