import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProfileCache } from '../../profiles/facility/profile-cache.js';

const record = (name: string) => ({ table: 't', name, values: {} });

describe('ProfileCache', () => {
  it('keeps at most its capacity and evicts the least recently used first', () => {
    const cache = new ProfileCache(8);
    for (let i = 0; i < 20; i++) cache.put('t', `n:${i}`, record(String(i)), 0, true);
    assert.equal(cache.size, 8);
    assert.equal(cache.get('t', 'n:0'), undefined);
    assert.deepEqual(cache.get('t', 'n:19'), record('19'));
  });

  it('keeps an entry that is read often while many others come and go', () => {
    const cache = new ProfileCache(100);
    cache.put('t', 'n:hot', record('hot'), 0, true);
    for (let i = 0; i < 1000; i++) {
      cache.put('t', `n:${i}`, record(String(i)), 0, true);
      assert.deepEqual(cache.get('t', 'n:hot'), record('hot'), `hot entry lost after ${i} inserts`);
    }
    assert.equal(cache.size, 100);
  });

  it('drops query results when the table changes, and by-name entries only when their profile changes', () => {
    const cache = new ProfileCache(10);
    cache.put('t', 'q:all', [record('a')], cache.generation('t'), false);
    cache.put('t', 'n:a', record('a'), cache.generation('t'), true);
    cache.put('t', 'n:b', record('b'), cache.generation('t'), true);
    cache.invalidateProfile('t', 'n:b');
    assert.equal(cache.get('t', 'q:all'), undefined);
    assert.deepEqual(cache.get('t', 'n:a'), record('a'));
    assert.equal(cache.get('t', 'n:b'), undefined);
  });

  it('does not store a value read before the table changed', () => {
    const cache = new ProfileCache(10);
    const generation = cache.generation('t');
    cache.invalidateProfile('t', 'n:x');
    cache.put('t', 'q:stale', [], generation, false);
    assert.equal(cache.get('t', 'q:stale'), undefined);
  });
});
