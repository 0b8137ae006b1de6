import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { ProfileListeners } from '../../profiles/storage/profile-listeners.js';
import { shareProfileChanges } from '../../server/cluster/shared-profile-changes.js';
import { REDIS_URL } from '../timers/redis-for-tests.js';
import { silentLogger } from '../helpers/silent-logger.js';

/** Polls until `predicate` holds; the deadline only turns a hang into a failure. */
async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test("a profile change one node commits drops what the other nodes' caches hold of it, and not the writer's own", async (t) => {
  const redis = new Redis(REDIS_URL);
  t.after(() => redis.disconnect());
  const cluster = `profiles-${randomBytes(4).toString('hex')}`;
  const forgotten: Record<string, Array<[string, string | undefined]>> = { a: [], b: [] };
  const stores = { a: new ProfileListeners(), b: new ProfileListeners() };
  for (const node of ['a', 'b'] as const) {
    const stop = await shareProfileChanges({
      redis,
      cluster,
      nodeId: node,
      store: stores[node],
      forget: (table, name) => forgotten[node]!.push([table, name]),
      logger: silentLogger(),
    });
    t.after(stop);
  }
  const record = { table: 'subscribers', name: 'alice', values: {}, version: 1 } as never;
  stores.a.emit({ kind: 'updated', table: 'subscribers', profileName: 'alice', before: record, after: record });
  stores.a.emitTable({ kind: 'tableRenamed', table: 'old', newName: 'new' });
  await until(() => forgotten.b!.length === 3, "b's three notices");
  assert.deepEqual(forgotten.b, [
    ['subscribers', 'alice'],
    ['old', undefined],
    ['new', undefined],
  ]);
  // b's own change reaches a; a never hears its own.
  stores.b.emitTable({ kind: 'tableRemoved', table: 'gone' });
  await until(() => forgotten.a!.length === 1, "a's notice");
  assert.deepEqual(forgotten.a, [['gone', undefined]]);
});
