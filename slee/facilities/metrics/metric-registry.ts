/**
 * The port through which the core, resource adaptors and the node publish
 * metrics. Metrics are pulled: a source reads numbers that the hot path
 * bumps in place (plain counters, `BucketHistogram`), only when scraped, so
 * counting costs an increment and never builds a label string.
 * `server/metrics` implements it on prom-client.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricFamily {
  /** Prometheus conventions: `sleet_` prefix, `_total` for counters, base units (`_seconds`, `_bytes`). */
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  /** Every sample carries exactly these labels, each from a bounded set of values. */
  readonly labelNames?: readonly string[];
}

export type MetricLabels = Readonly<Record<string, string>>;

export interface ValueSample {
  readonly labels?: MetricLabels;
  readonly value: number;
}

export interface HistogramSample {
  readonly labels?: MetricLabels;
  /** Upper bounds, ascending; `counts` has one more slot, for +Inf. Counts are per bucket, not cumulative. */
  readonly bounds: readonly number[];
  readonly counts: ArrayLike<number>;
  readonly sum: number;
}

export type MetricSample = ValueSample | HistogramSample;

export type MetricSource = () => Iterable<MetricSample> | Promise<Iterable<MetricSample>>;

export interface MetricRegistry {
  /**
   * Adds a source of samples to a family, declaring the family on first use.
   * Several sources may feed one family (one per resource-adaptor entity, say):
   * samples with equal labels are added up. Returns what removes the source.
   */
  register(family: MetricFamily, source: MetricSource): () => void;
}

/** Where nothing is exported: sources are dropped. */
export const NO_METRICS: MetricRegistry = { register: () => () => undefined };
