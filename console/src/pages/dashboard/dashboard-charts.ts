import { sumOf } from '../../lib/prometheus-text';
import type { Sample } from '../../lib/sampler';

type Read = (s: Sample) => number | undefined;

export interface SeriesSpec {
  label: string;
  color: string;
  /** A gauge read as is, or a counter shown as its rate per second. */
  read: Read;
  rate?: boolean;
  scale?: number;
}

export interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  series: SeriesSpec[];
}

const metric =
  (name: string, labels?: Record<string, string>): Read =>
  (s) =>
    sumOf(s.metrics, name, labels);

/**
 * The dashboard's charts: from `/metrics` (names in docs/operations.md) and
 * `/slee`, which is there even when a node serves no metrics.
 */
export const CHARTS: ChartSpec[] = [
  {
    id: 'calls',
    title: 'Calls per second',
    unit: '/s',
    series: [
      { label: 'INVITEs in', color: '#1f6feb', read: metric('sleet_sip_requests_received_total', { method: 'INVITE' }), rate: true },
      { label: 'events delivered', color: '#8250df', read: (s) => s.slee?.stats.eventsDelivered, rate: true },
    ],
  },
  {
    id: 'registrations',
    title: 'Registrations',
    unit: '',
    series: [{ label: 'active bindings', color: '#1a7f37', read: metric('sleet_sip_registrations_active') }],
  },
  {
    id: 'dialogs',
    title: 'Dialogs, activities and SBB entities',
    unit: '',
    series: [
      { label: 'SIP dialogs', color: '#1f6feb', read: metric('sleet_sip_dialogs_active') },
      { label: 'activities', color: '#bf8700', read: (s) => s.slee?.activities },
      { label: 'SBB entities', color: '#8250df', read: (s) => s.slee?.sbbEntities },
    ],
  },
  {
    id: 'rollbacks',
    title: 'Rollbacks per second',
    unit: '/s',
    series: [
      { label: 'rollbacks', color: '#c62828', read: metric('sleet_slee_transaction_rollbacks_total'), rate: true },
      { label: 'handler failures', color: '#bf8700', read: (s) => s.slee?.stats.handlerFailures, rate: true },
    ],
  },
  {
    id: 'event-loop',
    title: 'Event-loop delay',
    unit: 'ms',
    series: [
      { label: 'p99', color: '#c62828', read: metric('sleet_nodejs_eventloop_lag_p99_seconds'), scale: 1000 },
      { label: 'mean', color: '#1f6feb', read: metric('sleet_nodejs_eventloop_lag_mean_seconds'), scale: 1000 },
    ],
  },
  {
    id: 'cpu',
    title: 'CPU',
    unit: '%',
    series: [
      { label: 'process CPU', color: '#1f6feb', read: metric('sleet_process_cpu_seconds_total'), rate: true, scale: 100 },
      { label: 'event-loop busy', color: '#bf8700', read: metric('sleet_node_event_loop_utilisation'), scale: 100 },
    ],
  },
  {
    id: 'memory',
    title: 'Memory',
    unit: 'bytes',
    series: [
      { label: 'resident', color: '#1f6feb', read: metric('sleet_process_resident_memory_bytes') },
      { label: 'heap used', color: '#1a7f37', read: metric('sleet_nodejs_heap_size_used_bytes') },
    ],
  },
];

/** A series' values over the samples: rates between neighbours for counters (null across a reset or a gap). */
export function valuesOf(spec: SeriesSpec, history: Sample[]): Array<number | null> {
  const scale = spec.scale ?? 1;
  return history.map((s, i) => {
    const now = spec.read(s);
    if (now === undefined) return null;
    if (!spec.rate) return now * scale;
    const before = i > 0 ? spec.read(history[i - 1]!) : undefined;
    if (before === undefined || now < before) return null;
    return ((now - before) / (s.t - history[i - 1]!.t)) * scale;
  });
}
