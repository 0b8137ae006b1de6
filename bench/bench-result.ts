/** What every benchmark returns: a table and the exact parameters it ran with. */
export interface BenchResult {
  name: string;
  rows: Array<Record<string, string | number>>;
  params: Record<string, unknown>;
}

export type Benchmark = (options: { quick?: boolean }) => Promise<BenchResult>;
