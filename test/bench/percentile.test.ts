import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile } from '../../bench/sip-load/percentile.js';

describe('percentile by nearest rank', () => {
  it('picks the sample at rank ceil(p/100 · n)', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    assert.equal(percentile([...samples], 50), 5);
    assert.equal(percentile([...samples], 99), 10);
    assert.equal(percentile([...samples], 0), 1);
    assert.equal(percentile([...samples], 100), 10);
  });

  it('is NaN without samples', () => {
    assert.ok(Number.isNaN(percentile([], 50)));
  });
});
