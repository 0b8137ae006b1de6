import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { silentLogger } from '../helpers/silent-logger.js';

const DASHBOARD = new URL('../../../deploy/grafana/sleet-dashboard.json', import.meta.url);

test('the sample Grafana dashboard queries only metrics a node exports', async (t) => {
  const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
  const used = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((target) => target.expr.match(/sleet_[a-z0-9_]+/g) ?? [])));
  assert.ok(used.size >= 20, `the dashboard covers the metrics (${used.size} names)`);
  const config = resolveNodeConfig({
    flags: { dataDir: await mkdtemp(join(tmpdir(), 'sleet-grafana-')), sipPort: await freePort(), httpPort: 0, managementPort: 0 },
    env: {},
  });
  const node = await SleetNode.start({ config, logger: silentLogger() });
  t.after(() => node.stop());
  const text = await (await fetch(`${node.managementUrl}/metrics`)).text();
  const families = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  for (const name of used) {
    const base = name.replace(/_bucket$/, '');
    assert.ok(families.has(base), `${name} is exported`);
    if (name.endsWith('_bucket')) assert.equal(families.get(base), 'histogram');
  }
});
