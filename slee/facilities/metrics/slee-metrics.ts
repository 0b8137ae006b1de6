import type { KernelStats } from '../../container/kernel-stats.js';
import type { AlarmRegistry } from '../alarm/alarm-registry.js';
import type { AlarmLevel } from '../alarm/alarm-level.js';
import type { UsageRegistry } from '../usage/usage-registry.js';
import type { MetricRegistry, ValueSample } from './metric-registry.js';

/** Every level a raised alarm can have: each is exported, zeros included. */
const RAISED_LEVELS: readonly Exclude<AlarmLevel, 'CLEAR'>[] = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INDETERMINATE'];

/** What the SLEE's metrics read; the kernel provides all of it. */
export interface SleeMetricsHost {
  readonly stats: KernelStats;
  readonly alarms: AlarmRegistry;
  readonly usage: UsageRegistry;
  readonly activities: { readonly size: number };
  readonly entities: { readonly size: number };
  readonly router: { readonly backlog: number };
}

/** The container's metrics (`sleet_slee_*`, `sleet_alarms_active`, `sleet_usage_*`); returns what unregisters them. */
export function registerSleeMetrics(host: SleeMetricsHost, registry: MetricRegistry): () => void {
  const { stats } = host;
  const counter = (name: string, help: string, read: () => number) => registry.register({ name, help, type: 'counter' }, () => [{ value: read() }]);
  const gauge = (name: string, help: string, read: () => number) => registry.register({ name, help, type: 'gauge' }, () => [{ value: read() }]);
  const removers = [
    registry.register({ name: 'sleet_slee_events_delivered_total', help: 'Events delivered, by event type', type: 'counter', labelNames: ['event_type'] }, () =>
      [...stats.deliveredByType].map(([type, value]) => ({ labels: { event_type: type }, value })),
    ),
    counter('sleet_slee_events_fired_total', 'Events fired by resource adaptors and SBBs', () => stats.eventsFired),
    counter('sleet_slee_transaction_commits_total', 'SLEE transactions of event deliveries that committed', () => stats.commits),
    counter('sleet_slee_transaction_rollbacks_total', 'Event deliveries rolled back (handler threw, timed out, or its commit failed)', () => stats.rollbacks),
    counter('sleet_slee_handler_timeouts_total', 'Event handlers rolled back because they did not settle in time', () => stats.handlerTimeouts),
    counter('sleet_slee_transaction_retries_total', 'Deliveries run again after a conflicting commit', () => stats.transactionRetries),
    counter('sleet_slee_activities_started_total', 'Activities started', () => stats.activitiesStarted),
    counter('sleet_slee_sbb_entities_created_total', 'SBB entities created', () => stats.entitiesCreated),
    gauge('sleet_slee_activities_active', 'Activities live in the SLEE', () => host.activities.size),
    gauge('sleet_slee_sbb_entities_active', 'SBB entities live in the SLEE', () => host.entities.size),
    gauge('sleet_slee_router_queue_depth', 'Events queued or being delivered by the event router', () => host.router.backlog),
    registry.register({ name: 'sleet_alarms_active', help: 'Active alarms, by level', type: 'gauge', labelNames: ['level'] }, () => {
      const byLevel = new Map<string, number>(RAISED_LEVELS.map((l) => [l, 0]));
      for (const alarm of host.alarms.list()) byLevel.set(alarm.level, (byLevel.get(alarm.level) ?? 0) + 1);
      return [...byLevel].map(([level, value]) => ({ labels: { level }, value }));
    }),
    ...registerUsageMetrics(host.usage, registry),
  ];
  return () => removers.forEach((remove) => remove());
}

/**
 * Every usage parameter of every service and RA entity, as it is declared:
 * counters as `sleet_usage_counter_total`, samples as count, sum, min and max.
 * Labels: the notification source (`sbb:Service/vendor/version:Sbb`, `ra:sip`),
 * the parameter set ('' for the default one) and the parameter.
 */
function registerUsageMetrics(usage: UsageRegistry, registry: MetricRegistry): Array<() => void> {
  const labelNames = ['source', 'set', 'parameter'];
  const counters = () =>
    usage
      .list()
      .flatMap(({ source, set, parameters }) =>
        Object.entries(parameters.snapshot().counters).map(([parameter, value]): ValueSample => ({ labels: { source, set, parameter }, value })),
      );
  const sample = (field: 'count' | 'sum' | 'min' | 'max') => () =>
    usage
      .list()
      .flatMap(({ source, set, parameters }) =>
        Object.entries(parameters.snapshot().samples).map(([parameter, stats]): ValueSample => ({ labels: { source, set, parameter }, value: stats[field] })),
      );
  return [
    registry.register(
      { name: 'sleet_usage_counter_total', help: 'Usage counter parameters of services and RA entities', type: 'counter', labelNames },
      counters,
    ),
    registry.register({ name: 'sleet_usage_sample_count', help: 'Samples taken of a usage sample parameter', type: 'counter', labelNames }, sample('count')),
    registry.register({ name: 'sleet_usage_sample_sum', help: 'Sum of the samples of a usage sample parameter', type: 'counter', labelNames }, sample('sum')),
    registry.register({ name: 'sleet_usage_sample_min', help: 'Smallest sample of a usage sample parameter', type: 'gauge', labelNames }, sample('min')),
    registry.register({ name: 'sleet_usage_sample_max', help: 'Largest sample of a usage sample parameter', type: 'gauge', labelNames }, sample('max')),
  ];
}
