/** One sample of the Prometheus text exposition: a metric name, its labels, its value. */
interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Samples by metric name. */
export type PromSamples = Map<string, PromSample[]>;

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;

/** Parses `GET /metrics` (text format 0.0.4); comments and malformed lines are skipped. */
export function parsePrometheusText(text: string): PromSamples {
  const samples: PromSamples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) continue;
    const [, name, labelText, valueText] = match as unknown as [string, string, string | undefined, string];
    const labels: Record<string, string> = {};
    if (labelText) {
      LABEL.lastIndex = 0;
      let label: RegExpExecArray | null;
      while ((label = LABEL.exec(labelText)) !== null) labels[label[1]!] = label[2]!.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
    }
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    const list = samples.get(name) ?? [];
    list.push({ name, labels, value });
    samples.set(name, list);
  }
  return samples;
}

/** The sum of a metric's samples whose labels include `match`; undefined when the metric is absent. */
export function sumOf(samples: PromSamples | null, name: string, match: Record<string, string> = {}): number | undefined {
  const list = samples?.get(name);
  if (!list) return undefined;
  return list.filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v)).reduce((total, s) => total + s.value, 0);
}
