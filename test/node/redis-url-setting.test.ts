import { strict as assert } from 'node:assert';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';

/** The configuration is refused, and the message names where the setting came from and what is wrong with it. */
function refused(flags: Record<string, unknown>, env: NodeJS.ProcessEnv, pattern: RegExp): void {
  assert.throws(
    () => resolveNodeConfig({ flags, env }),
    (err: unknown) => SleetError.is(err, ErrorCode.CONFIG_INVALID) && pattern.test(err.message),
  );
}

describe('sleet start: --redis-url, one Redis or a Redis Cluster seed list', () => {
  it('takes one URL as a single Redis, as before', () => {
    assert.deepEqual(resolveNodeConfig({ flags: { redisUrl: 'redis://127.0.0.1:6379/2' }, env: {} }).redisUrl, ['redis://127.0.0.1:6379/2']);
    assert.deepEqual(resolveNodeConfig({ env: { SLEET_REDIS_URL: 'rediss://:secret@redis.example.net:6380' } }).redisUrl, [
      'rediss://:secret@redis.example.net:6380',
    ]);
    assert.equal(resolveNodeConfig({ env: {} }).redisUrl, undefined);
  });

  it('takes a comma-separated seed list from the flag or SLEET_REDIS_URL, and a list or a string from the config file', async () => {
    const seeds = ['redis://10.0.0.1:7000', 'redis://10.0.0.2:7000', 'redis://10.0.0.3:7000'];
    assert.deepEqual(resolveNodeConfig({ flags: { redisUrl: seeds.join(', ') }, env: {} }).redisUrl, seeds);
    assert.deepEqual(resolveNodeConfig({ env: { SLEET_REDIS_URL: seeds.join(',') } }).redisUrl, seeds);
    const dir = await mkdtemp(join(tmpdir(), 'sleet-redis-url-'));
    await writeFile(join(dir, 'list.json'), JSON.stringify({ redisUrl: seeds }));
    await writeFile(join(dir, 'text.json'), JSON.stringify({ redisUrl: seeds.join(',') }));
    assert.deepEqual(resolveNodeConfig({ configFile: join(dir, 'list.json'), env: {} }).redisUrl, seeds);
    assert.deepEqual(resolveNodeConfig({ configFile: join(dir, 'text.json'), env: {} }).redisUrl, seeds);
    assert.deepEqual(resolveNodeConfig({ flags: { cluster: 'east', redisUrl: seeds.join(',') }, env: {} }).cluster, 'east');
  });

  it('refuses a bad seed list, naming the flag or variable and the bad entry', () => {
    refused({ redisUrl: 'redis://10.0.0.1:7000,http://10.0.0.2:7000' }, {}, /--redis-url: 'http:\/\/10\.0\.0\.2:7000' is not a redis:\/\/ or rediss:\/\/ URL/);
    refused({}, { SLEET_REDIS_URL: 'redis://10.0.0.1:7000,10.0.0.2:7000' }, /SLEET_REDIS_URL: '10\.0\.0\.2:7000' is not a redis:\/\/ or rediss:\/\/ URL/);
    refused({ redisUrl: ' , ' }, {}, /--redis-url: no Redis URL given/);
    refused({ redisUrl: 'redis://:secret@10.0.0.1:7000,http://:secret@10.0.0.2:7000' }, {}, /'http:\/\/:\*\*\*@10\.0\.0\.2:7000' is not/);
    refused({ redisUrl: 'redis://10.0.0.1:7000,redis://10.0.0.1:7000' }, {}, /--redis-url: names 10\.0\.0\.1:7000 twice/);
    refused(
      { redisUrl: 'redis://10.0.0.1:7000/3,redis://10.0.0.2:7000' },
      {},
      /--redis-url: a Redis Cluster seed names no database \(a cluster has only database 0\) and no options: 'redis:\/\/10\.0\.0\.1:7000\/3'/,
    );
    refused(
      { redisUrl: 'redis://10.0.0.1:7000,redis://10.0.0.2:7000?family=6' },
      {},
      /--redis-url: a Redis Cluster seed names no database .*'redis:\/\/10\.0\.0\.2:7000\?family=6'/,
    );
    refused(
      { redisUrl: 'redis://10.0.0.1:7000,rediss://10.0.0.2:7000' },
      {},
      /--redis-url: the seeds of a Redis Cluster take one scheme and one user and password/,
    );
    refused(
      { redisUrl: 'redis://:a@10.0.0.1:7000,redis://:b@10.0.0.2:7000' },
      {},
      /--redis-url: the seeds of a Redis Cluster take one scheme and one user and password/,
    );
  });
});
