import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProfileCache } from '../../profiles/facility/profile-cache.js';

const record = (name: string, values: Record<string, unknown> = {}) => ({ table: 't', name, values });
const aor = (value: string) => ({ attribute: 'aor', value });

describe('ProfileCache', () => {
  it('keeps at most its capacity and evicts the least recently used first', () => {
    const cache = new ProfileCache(8);
    for (let i = 0; i < 20; i++) cache.put('t', `n:${i}`, record(String(i)), cache.stamp('t', 'name'), 'name');
    assert.equal(cache.size, 8);
    assert.equal(cache.get('t', 'n:0'), undefined);
    assert.deepEqual(cache.get('t', 'n:19'), record('19'));
  });

  it('keeps an entry that is read often while many others come and go', () => {
    const cache = new ProfileCache(100);
    cache.put('t', 'n:hot', record('hot'), cache.stamp('t', 'name'), 'name');
    for (let i = 0; i < 1000; i++) {
      cache.put('t', `n:${i}`, record(String(i)), cache.stamp('t', 'name'), 'name');
      assert.deepEqual(cache.get('t', 'n:hot'), record('hot'), `hot entry lost after ${i} inserts`);
    }
    assert.equal(cache.size, 100);
  });

  it('drops query results when the table changes, and by-name entries only when their profile changes', () => {
    const cache = new ProfileCache(10);
    cache.put('t', 'q:all', [record('a')], cache.stamp('t', 'table'), 'table');
    cache.put('t', 'n:a', record('a'), cache.stamp('t', 'name'), 'name');
    cache.put('t', 'n:b', record('b'), cache.stamp('t', 'name'), 'name');
    cache.profileChanged('t', 'b', [record('b')]);
    assert.equal(cache.get('t', 'q:all'), undefined);
    assert.deepEqual(cache.get('t', 'n:a'), record('a'));
    assert.equal(cache.get('t', 'n:b'), undefined);
  });

  it('does not store a value read before the table changed', () => {
    const cache = new ProfileCache(10);
    const stamp = cache.stamp('t', 'table');
    cache.profileChanged('t', 'x', [record('x')]);
    cache.put('t', 'q:stale', [], stamp, 'table');
    assert.equal(cache.get('t', 'q:stale'), undefined);
  });

  it('keeps an equality lookup while profiles with other values change, and drops it when one with its value does', () => {
    const cache = new ProfileCache(10);
    cache.put('t', 'q:alice', [record('a1', { aor: 'alice' })], cache.stamp('t', aor('alice')), aor('alice'));
    cache.put('t', 'q:bob', [record('b1', { aor: 'bob' })], cache.stamp('t', aor('bob')), aor('bob'));
    cache.profileChanged('t', 'b2', [record('b2', { aor: 'bob' })]);
    assert.deepEqual(cache.get('t', 'q:alice'), [record('a1', { aor: 'alice' })]);
    assert.equal(cache.get('t', 'q:bob'), undefined);
  });

  it('drops the lookups of the value a profile had before a change as well as the one it has after', () => {
    const cache = new ProfileCache(10);
    for (const user of ['alice', 'bob', 'carol']) cache.put('t', `q:${user}`, [], cache.stamp('t', aor(user)), aor(user));
    cache.profileChanged('t', 'p', [record('p', { aor: 'alice' }), record('p', { aor: 'bob' })]);
    assert.equal(cache.get('t', 'q:alice'), undefined);
    assert.equal(cache.get('t', 'q:bob'), undefined);
    assert.deepEqual(cache.get('t', 'q:carol'), []);
  });

  it('does not store an equality lookup whose value changed while it was read, even before any lookup was cached', () => {
    const cache = new ProfileCache(10);
    const stamp = cache.stamp('t', aor('alice'));
    cache.profileChanged('t', 'a1', [record('a1', { aor: 'alice' })]);
    cache.put('t', 'q:alice', [], stamp, aor('alice'));
    assert.equal(cache.get('t', 'q:alice'), undefined);
  });

  it('drops every equality lookup of a table on a change whose values it is not told', () => {
    const cache = new ProfileCache(10);
    cache.put('t', 'q:alice', [], cache.stamp('t', aor('alice')), aor('alice'));
    cache.put('u', 'q:alice', [], cache.stamp('u', aor('alice')), aor('alice'));
    cache.profileChanged('t', 'someone');
    assert.equal(cache.get('t', 'q:alice'), undefined);
    assert.deepEqual(cache.get('u', 'q:alice'), [], 'another table keeps its own');
  });

  it('drops everything of a table that was removed, renamed or upgraded, by-name entries included', () => {
    const cache = new ProfileCache(10);
    cache.put('t', 'n:a', record('a'), cache.stamp('t', 'name'), 'name');
    cache.put('t', 'q:alice', [], cache.stamp('t', aor('alice')), aor('alice'));
    cache.invalidateTable('t');
    assert.equal(cache.get('t', 'n:a'), undefined);
    assert.equal(cache.get('t', 'q:alice'), undefined);
  });

  it('treats values it no longer remembers as changed, so a lookup older than them is read again', () => {
    const cache = new ProfileCache(4);
    cache.put('t', 'q:alice', [], cache.stamp('t', aor('alice')), aor('alice'));
    for (let i = 0; i < 4; i++) cache.profileChanged('t', `p${i}`, [record(`p${i}`, { aor: `user${i}` })]);
    assert.deepEqual(cache.get('t', 'q:alice'), [], 'four changed values are remembered');
    cache.profileChanged('t', 'p4', [record('p4', { aor: 'user4' })]);
    assert.equal(cache.get('t', 'q:alice'), undefined, 'the fifth pushed out a change newer than the lookup');
    cache.put('t', 'q:alice', [], cache.stamp('t', aor('alice')), aor('alice'));
    assert.deepEqual(cache.get('t', 'q:alice'), [], 'a lookup read after them is kept');
  });

  it('takes values differing only in trailing spaces as one, as MySQL compares them', () => {
    const cache = new ProfileCache(10);
    cache.put('t', 'q:alice ', [], cache.stamp('t', aor('alice ')), aor('alice '));
    cache.profileChanged('t', 'a1', [record('a1', { aor: 'alice' })]);
    assert.equal(cache.get('t', 'q:alice '), undefined);
  });
});
