import { test } from 'node:test';
import assert from 'node:assert/strict';
import perfHooks from 'node:perf_hooks';
import { collectNodeMetrics } from '../../server/metrics/node-metrics.js';
import { PromMetricRegistry } from '../../server/metrics/prom-metric-registry.js';
import { parseMetrics } from '../helpers/metrics-text.js';

test('the event-loop lag metrics sample at most 10 times a second: each sample is a wake-up of an idle node', async (t) => {
  const real = perfHooks.monitorEventLoopDelay;
  const resolutions: Array<number | undefined> = [];
  perfHooks.monitorEventLoopDelay = (options) => {
    resolutions.push(options?.resolution);
    return real(options);
  };
  t.after(() => {
    perfHooks.monitorEventLoopDelay = real;
  });
  const metrics = new PromMetricRegistry();
  collectNodeMetrics(metrics);
  assert.equal(resolutions.length, 1, 'one event-loop delay histogram');
  assert.ok((resolutions[0] ?? 10) >= 100, `the histogram's timer fires every ${resolutions[0] ?? 10} ms`);
  const names = parseMetrics(await metrics.registry.metrics()).map((s) => s.name);
  assert.ok(names.includes('sleet_nodejs_eventloop_lag_p99_seconds'), 'the lag percentiles are still exported');
});
