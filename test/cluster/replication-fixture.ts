import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisStateReplication } from '../../server/cluster/redis-state-replication.js';
import { REDIS_URL } from '../timers/redis-for-tests.js';
import { startCoreFixture, type CoreFixture } from '../helpers/core-fixture.js';

export interface ClusterNode extends CoreFixture {
  store: RedisStateReplication;
}

/** A unique cluster name, so tests running at once never share keys. */
export function uniqueClusterName(): string {
  return `test-${randomUUID()}`;
}

/** One SLEE of a test cluster: a core fixture whose replicated state goes to Redis. */
export async function startClusterNode(
  cluster: string,
  options: { checkVersions?: boolean; transactionAttempts?: number; redisUrl?: string | string[] } = {},
): Promise<ClusterNode> {
  const store = new RedisStateReplication({
    redisUrl: options.redisUrl ?? REDIS_URL,
    cluster,
    ...(options.checkVersions !== undefined ? { checkVersions: options.checkVersions } : {}),
  });
  const fixture = await startCoreFixture({ replication: store, transactionAttempts: options.transactionAttempts ?? 50 });
  return {
    ...fixture,
    store,
    close: async () => {
      await fixture.close();
      await store.close();
    },
  };
}

/** Deletes every key of a test cluster whose nodes ran in other processes (its route key has no time to live). */
export async function removeClusterKeysOf(cluster: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`sleet:${cluster}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

/** Deletes every key of a test cluster. */
export async function removeClusterKeys(store: RedisStateReplication, cluster: string): Promise<void> {
  const keys = await store.redis.keys(`sleet:${cluster}:*`);
  if (keys.length > 0) await store.redis.del(...keys);
}
