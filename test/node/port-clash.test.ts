import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig, type NodeConfigKey } from '../../server/node/config/node-config.js';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import { silentLogger } from '../helpers/silent-logger.js';

async function holdTcpPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

const CASES: Array<[NodeConfigKey, RegExp]> = [
  ['sipPort', /--sip-port.*SLEET_SIP_PORT/],
  ['httpPort', /--http-port.*SLEET_HTTP_PORT/],
  ['managementPort', /--management-port.*SLEET_MANAGEMENT_PORT/],
];

for (const [key, flag] of CASES) {
  test(`a ${key} already in use is refused naming the flag to change, and the node lets go of what it had opened`, async () => {
    const { server, port } = await holdTcpPort();
    try {
      const flags: Record<string, unknown> = {
        dataDir: await mkdtemp(join(tmpdir(), 'sleet-clash-')),
        sipPort: 0,
        httpPort: 0,
        managementPort: 0,
        [key]: port,
      };
      await assert.rejects(SleetNode.start({ config: resolveNodeConfig({ flags, env: {} }), logger: silentLogger() }), (err) => {
        assert.ok(SleetError.is(err, ErrorCode.PORT_IN_USE), `expected PORT_IN_USE, got ${String(err)}`);
        assert.match(err.message, new RegExp(`${port}`));
        assert.match(err.message, flag);
        return true;
      });
      if (key === 'sipPort') {
        // SIP listens on UDP before TCP: the UDP socket it had bound must be closed again.
        const udp = createSocket('udp4');
        await new Promise<void>((resolve, reject) => {
          udp.once('error', reject);
          udp.bind(port, '127.0.0.1', resolve);
        });
        udp.close();
      }
    } finally {
      server.close();
    }
  });
}
