/** The p-th percentile (0..100) of samples by nearest rank; NaN when there are none. Sorts `samples` in place. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  samples.sort((a, b) => a - b);
  const rank = Math.min(samples.length, Math.max(1, Math.ceil((p / 100) * samples.length)));
  return samples[rank - 1]!;
}
