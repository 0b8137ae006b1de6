import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SleetNode } from '../../server/node/sleet-node.js';
import { resolveNodeConfig } from '../../server/node/config/node-config.js';
import { freePort } from '../sip/interop/sipp-runner.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { parseMetrics } from '../helpers/metrics-text.js';
import { PromMetricRegistry } from '../../server/metrics/prom-metric-registry.js';
import { BucketHistogram } from '../../base/metrics/bucket-histogram.js';

async function startNode(t: import('node:test').TestContext, flags: Record<string, unknown>) {
  const config = resolveNodeConfig({
    flags: { dataDir: await mkdtemp(join(tmpdir(), 'sleet-metrics-endpoint-')), sipPort: await freePort(), httpPort: 0, managementPort: 0, ...flags },
    env: {},
  });
  const node = await SleetNode.start({ config, logger: silentLogger() });
  t.after(() => node.stop());
  return node;
}

test('GET /metrics is served without the token by default, in the Prometheus text format', async (t) => {
  const node = await startNode(t, {});
  const response = await fetch(`${node.managementUrl}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  assert.match(text, /^# HELP sleet_sip_requests_received_total /m);
  assert.match(text, /^# TYPE sleet_sip_invite_final_response_seconds histogram$/m);
  assert.ok(
    parseMetrics(text).every((s) => s.name.startsWith('sleet_')),
    'every metric has the sleet_ prefix',
  );
  assert.equal((await fetch(`${node.managementUrl}/slee/state`)).status, 401, 'the rest of the API still needs the token');
});

test('--metrics-auth: GET /metrics needs the management token', async (t) => {
  const node = await startNode(t, { metricsAuth: 'on' });
  assert.equal((await fetch(`${node.managementUrl}/metrics`)).status, 401);
  assert.equal((await fetch(`${node.managementUrl}/metrics`, { headers: { authorization: `Bearer ${node.token}` } })).status, 200);
});

test('--metrics off: no /metrics route', async (t) => {
  const node = await startNode(t, { metrics: 'off' });
  assert.equal((await fetch(`${node.managementUrl}/metrics`, { headers: { authorization: `Bearer ${node.token}` } })).status, 404);
});

test('samples of one family from several sources add up; histograms come out cumulative with _sum and _count', async () => {
  const metrics = new PromMetricRegistry();
  const family = { name: 'sleet_test_things_total', help: 'things', type: 'counter' as const, labelNames: ['kind'] };
  metrics.register(family, () => [{ labels: { kind: 'a' }, value: 2 }]);
  const remove = metrics.register(family, () => [
    { labels: { kind: 'a' }, value: 3 },
    { labels: { kind: 'b' }, value: 1 },
  ]);
  const h = new BucketHistogram([0.1, 1]);
  for (const v of [0.05, 0.5, 0.7, 3]) h.observe(v);
  metrics.register({ name: 'sleet_test_seconds', help: 'time', type: 'histogram' }, () => [{ bounds: h.bounds, counts: h.counts, sum: h.sum }]);
  const samples = parseMetrics(await metrics.metrics());
  const value = (name: string, labels: Record<string, string>) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  assert.equal(value('sleet_test_things_total', { kind: 'a' }), 5);
  assert.equal(value('sleet_test_things_total', { kind: 'b' }), 1);
  assert.deepEqual(
    ['0.1', '1', '+Inf'].map((le) => value('sleet_test_seconds_bucket', { le })),
    [1, 3, 4],
  );
  assert.equal(value('sleet_test_seconds_count', {}), 4);
  assert.equal(value('sleet_test_seconds_sum', {}), 0.05 + 0.5 + 0.7 + 3);
  remove();
  assert.equal(value('sleet_test_things_total', { kind: 'a' }), 5, 'a snapshot taken before removal');
  const later = parseMetrics(await metrics.metrics());
  assert.equal(later.find((s) => s.name === 'sleet_test_things_total' && s.labels.kind === 'a')?.value, 2);
  assert.throws(() => metrics.register({ ...family, type: 'gauge' }, () => []), /already a counter/);
});
