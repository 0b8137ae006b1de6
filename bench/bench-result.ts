/** What every benchmark returns: a table and the exact parameters it ran with. */
export interface BenchResult {
  name: string;
  rows: Array<Record<string, string | number>>;
  params: Record<string, unknown>;
}

/** `flags` holds the command line's `--name=value` options; benchmarks without options ignore them. */
export type Benchmark = (options: { quick?: boolean; flags?: Record<string, string> }) => Promise<BenchResult>;
