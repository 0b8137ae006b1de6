import type { TestContext } from 'node:test';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { silentLogger } from './silent-logger.js';

/** A node as `npm start` runs it (`--demo`, no `--trusted`) on a free SIP port and a fresh data directory, stopped after the test. */
export async function startDemoNode(t: TestContext, name: string): Promise<{ node: SleetNode; sipPort: number }> {
  const sipPort = await freePort();
  const config = resolveNodeConfig({
    flags: { demo: true, dataDir: await mkdtemp(join(tmpdir(), `sleet-${name}-`)), sipPort, httpPort: 0, managementPort: 0 },
    env: {},
  });
  const node = await SleetNode.start({ config, logger: silentLogger() });
  t.after(() => node.stop());
  return { node, sipPort };
}
