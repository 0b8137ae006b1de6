/** Where a node's workers (and the cluster bench's nodes) keep their shared state. */
export const BENCH_REDIS_URL = process.env.SLEET_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** `sleet start` flags for a node of `workers` processes (none for one): `--workers` needs Redis. */
export function workersArgs(workers: number): string[] {
  return workers > 1 ? ['--workers', String(workers), '--redis-url', BENCH_REDIS_URL] : [];
}
