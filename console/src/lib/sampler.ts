import { token } from './session';
import { signalValue } from './signal-value';
import { parsePrometheusText, type PromSamples } from './prometheus-text';
import type { SleeInfo } from './types';

/** One scrape: `/slee` always, `/metrics` when the node serves it. */
export interface Sample {
  /** Seconds since the epoch (uPlot's x unit). */
  t: number;
  slee: SleeInfo | null;
  metrics: PromSamples | null;
}

const INTERVAL_MS = 2000;
/** Five minutes of history at one sample every two seconds. */
const KEEP = 150;

/** The recent samples, oldest first; a new array after every scrape. */
export const samples = signalValue<Sample[]>([]);
/** Whether the node serves `/metrics` (false when started with metrics off). */
export const metricsAvailable = signalValue<boolean | null>(null);

let timer: ReturnType<typeof setInterval> | null = null;

async function scrape(): Promise<void> {
  const headers = { authorization: `Bearer ${token.get() ?? ''}` };
  const [slee, metrics] = await Promise.all([
    fetch('/slee', { headers }).then(
      (r) => (r.ok ? (r.json() as Promise<SleeInfo>) : null),
      () => null,
    ),
    fetch('/metrics', { headers }).then(
      async (r) => {
        metricsAvailable.set(r.ok);
        return r.ok ? parsePrometheusText(await r.text()) : null;
      },
      () => null,
    ),
  ]);
  samples.set([...samples.get(), { t: Date.now() / 1000, slee, metrics }].slice(-KEEP));
}

/** Scrapes while logged in, whichever page is open, so that the dashboard has history when it opens. */
function start(): void {
  if (timer || !token.get()) return;
  void scrape();
  timer = setInterval(() => void scrape(), INTERVAL_MS);
}

function stop(): void {
  if (timer) clearInterval(timer);
  timer = null;
  samples.set([]);
}

token.watch((value) => (value ? start() : stop()));
start();
