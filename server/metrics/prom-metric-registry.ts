import { Registry } from 'prom-client';
import { SleetError } from '../../base/errors/sleet-error.js';
import { ErrorCode } from '../../base/errors/error-codes.js';
import type {
  HistogramSample,
  MetricFamily,
  MetricLabels,
  MetricRegistry,
  MetricSample,
  MetricSource,
  ValueSample,
} from '../../slee/facilities/metrics/metric-registry.js';

interface PromValue {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

interface Family {
  readonly family: MetricFamily;
  readonly sources: Set<MetricSource>;
}

/**
 * The MetricRegistry port on prom-client: each family becomes a prom-client
 * metric whose values are read from its sources when `/metrics` is scraped,
 * and prom-client writes the exposition format (and the process metrics
 * added by `collectNodeMetrics`).
 */
export class PromMetricRegistry implements MetricRegistry {
  readonly registry = new Registry();
  private readonly families = new Map<string, Family>();

  register(family: MetricFamily, source: MetricSource): () => void {
    let entry = this.families.get(family.name);
    if (entry === undefined) {
      entry = { family, sources: new Set() };
      this.families.set(family.name, entry);
      this.registry.registerMetric(promMetric(entry) as never);
    } else if (entry.family.type !== family.type) {
      throw new SleetError(ErrorCode.INVALID_STATE, `metric ${family.name} is already a ${entry.family.type}, not a ${family.type}`);
    }
    const sources = entry.sources;
    sources.add(source);
    return () => void sources.delete(source);
  }

  /** The Prometheus text exposition of every family. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** What prom-client's Registry needs of a metric: a name and `get()`. */
function promMetric(entry: Family) {
  const { name, help, type } = entry.family;
  return {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => {
      const samples: MetricSample[] = [];
      for (const source of entry.sources) for (const sample of await source()) samples.push(sample);
      const values =
        type === 'histogram'
          ? histogramValues(name, merge(samples as HistogramSample[], addHistograms))
          : merge(samples as ValueSample[], addValues).map(plainValue);
      return { name, help, type, aggregator: 'sum', values };
    },
  };
}

/** Samples with the same labels (from several sources) are added up. */
function merge<T extends MetricSample>(samples: T[], add: (a: T, b: T) => T): T[] {
  if (samples.length < 2) return samples;
  const byLabels = new Map<string, T>();
  for (const sample of samples) {
    const key = labelKey(sample.labels);
    const seen = byLabels.get(key);
    byLabels.set(key, seen === undefined ? sample : add(seen, sample));
  }
  return [...byLabels.values()];
}

function labelKey(labels: MetricLabels | undefined): string {
  if (labels === undefined) return '';
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
}

function addValues(a: ValueSample, b: ValueSample): ValueSample {
  return { ...(a.labels ? { labels: a.labels } : {}), value: a.value + b.value };
}

function addHistograms(a: HistogramSample, b: HistogramSample): HistogramSample {
  const counts = Array.from(a.counts, (c, i) => c + (b.counts[i] ?? 0));
  return { ...(a.labels ? { labels: a.labels } : {}), bounds: a.bounds, counts, sum: a.sum + b.sum };
}

function plainValue(sample: ValueSample): PromValue {
  return { labels: { ...sample.labels }, value: sample.value };
}

/** Cumulative `_bucket` series with `le`, then `_sum` and `_count`, as the exposition format wants. */
function histogramValues(name: string, samples: HistogramSample[]): PromValue[] {
  const values: PromValue[] = [];
  for (const sample of samples) {
    let cumulative = 0;
    sample.bounds.forEach((bound, i) => {
      cumulative += sample.counts[i] ?? 0;
      values.push({ metricName: `${name}_bucket`, labels: { ...sample.labels, le: bound }, value: cumulative });
    });
    cumulative += sample.counts[sample.bounds.length] ?? 0;
    values.push({ metricName: `${name}_bucket`, labels: { ...sample.labels, le: '+Inf' }, value: cumulative });
    values.push({ metricName: `${name}_sum`, labels: { ...sample.labels }, value: sample.sum });
    values.push({ metricName: `${name}_count`, labels: { ...sample.labels }, value: cumulative });
  }
  return values;
}
