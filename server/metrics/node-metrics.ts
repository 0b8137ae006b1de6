import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { collectDefaultMetrics } from 'prom-client';
import type { PromMetricRegistry } from './prom-metric-registry.js';

/**
 * The process: prom-client's default metrics under the `sleet_` prefix
 * (CPU, resident memory, heap by space, GC, `sleet_nodejs_eventloop_lag_*_seconds`
 * for event-loop delay), plus the event loop's utilisation, which prom-client
 * does not export: cumulative active time (`rate()` of it is the utilisation)
 * and the share since the previous scrape. The lag histogram samples every
 * 100 ms: at prom-client's default of 10 ms its timer woke an idle node 100
 * times a second, which cost it more CPU than everything else it does idle.
 */
export function collectNodeMetrics(metrics: PromMetricRegistry): void {
  collectDefaultMetrics({ register: metrics.registry, prefix: 'sleet_', eventLoopMonitoringPrecision: 100 });
  let previous: EventLoopUtilization = performance.eventLoopUtilization();
  metrics.register(
    {
      name: 'sleet_node_event_loop_active_seconds_total',
      help: 'Time the event loop spent running code; rate() of it is the event-loop utilisation',
      type: 'counter',
    },
    () => [{ value: performance.eventLoopUtilization().active / 1000 }],
  );
  metrics.register(
    { name: 'sleet_node_event_loop_utilisation', help: 'Share of time the event loop was busy since the previous scrape (0-1)', type: 'gauge' },
    () => {
      const now = performance.eventLoopUtilization();
      const since = performance.eventLoopUtilization(now, previous);
      previous = now;
      return [{ value: since.utilization }];
    },
  );
}
