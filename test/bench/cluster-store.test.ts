import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storeRun } from '../../bench/cluster-store.js';
import { REDIS_URL, redisAvailable } from '../timers/redis-for-tests.js';

test("the cluster bench's store run counts the Redis commands and bytes a replicated call costs, and none in memory", async (t) => {
  if (!(await redisAvailable(t))) return;
  const memory = await storeRun('in-memory', REDIS_URL, 20, 4, 4);
  const redis = await storeRun('redis', REDIS_URL, 20, 4, 4);
  assert.equal(memory.redisCommandsPerCall, 0);
  // Replicating the call writes its activity and tree once, each of the 3 later events commits once, and its end deletes 2 records.
  assert.equal(redis.redisCommandsPerCall, 6, JSON.stringify(redis));
  assert.ok(redis.redisBytesPerCall > 500, JSON.stringify(redis));
  assert.equal(redis.conflicts, 0);
});
