import { strict as assert } from 'node:assert';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { defaultEntities } from '../../server/node/resources/default-resources.js';
import { sipRaConfig } from '../../resource-adaptors/sip/ra/sip-ra-config.js';
import { workerConfig } from '../../server/node/workers/worker-config.js';

const REDIS = 'redis://127.0.0.1:6379';

function refused(flags: Record<string, unknown>, env: NodeJS.ProcessEnv, pattern: RegExp): void {
  assert.throws(
    () => resolveNodeConfig({ flags, env }),
    (err: unknown) => SleetError.is(err, ErrorCode.CONFIG_INVALID) && pattern.test(err.message),
  );
}

describe('sleet start --workers', () => {
  it('refuses fewer than one worker, or more than the cores, naming the setting', () => {
    refused({ workers: '0', redisUrl: REDIS }, {}, /--workers: at least 1/);
    refused({ workers: String(availableParallelism() + 1), redisUrl: REDIS }, {}, /--workers: .*at most one worker per core/);
    refused({}, { SLEET_WORKERS: '0', SLEET_REDIS_URL: REDIS }, /SLEET_WORKERS: at least 1/);
  });

  it('needs Redis for the shared state, a shared profile store and a fixed SIP port clear of the other ports', () => {
    refused({ workers: '1' }, {}, /--workers: workers share their state in Redis: give --redis-url/);
    refused({ workers: '1', redisUrl: REDIS, profilesUrl: ':memory:' }, {}, /--workers: .*in-memory/);
    refused({ workers: '1', redisUrl: REDIS, sipPort: '0' }, {}, /--workers: .*fixed --sip-port/);
    refused({ workers: '1', redisUrl: REDIS, sipPort: '5060', httpPort: '5061' }, {}, /--workers: --http-port 5061 is a worker's port/);
  });

  it('derives each worker: worker 0 keeps the data directory, ports and TCP; the others serve UDP from their own port', () => {
    const config = resolveNodeConfig({
      flags: { workers: '1', redisUrl: REDIS, sipPort: '5070', dataDir: 'data-w', httpPort: '8090', managementPort: '9800', nodeId: 'edge' },
      env: {},
    });
    const many = { ...config, workers: 2 };
    const [first, second] = [workerConfig(many, 0), workerConfig(many, 1)];
    assert.equal(first.dataDir, 'data-w');
    assert.equal(second.dataDir, join('data-w', 'workers', '1'));
    assert.equal(first.profilesUrl, resolve('data-w', 'profiles.sqlite'), 'every worker opens the one SQLite file');
    assert.equal(second.profilesUrl, first.profilesUrl);
    assert.equal(first.cluster, 'workers-5070');
    assert.deepEqual([first.nodeId, second.nodeId], ['edge-w0', 'edge-w1']);
    assert.deepEqual([first.managementPort, second.managementPort, first.httpPort, second.httpPort], [9800, 0, 8090, 0]);
    const sip = (c: typeof config) => sipRaConfig(defaultEntities(c).find((e) => e.name === 'sip')!.config);
    assert.deepEqual(sip(first).transports, ['udp', 'tcp']);
    assert.deepEqual(sip(second).transports, ['udp']);
    assert.deepEqual(sip(second).workerPorts, [5071, 5072]);
    assert.equal(sip(second).workerIndex, 1);
    assert.equal(sip(second).port, 5070, 'the shared port');
    assert.deepEqual(sip(config).workerPorts, [], 'a node started without --workers clears what a worker start persisted');
  });
});
