/** Least-squares slope of `values` sampled every `intervalSeconds`, per hour: how fast a memory figure grows. */
export function slopePerHour(values: number[], intervalSeconds: number): number {
  const n = values.length;
  if (n < 2) return 0;
  const meanX = ((n - 1) * intervalSeconds) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((y, i) => {
    const dx = i * intervalSeconds - meanX;
    num += dx * (y - meanY);
    den += dx * dx;
  });
  return Math.round((num / den) * 3600 * 100) / 100;
}

/**
 * The lowest sample of each full window of `perWindow`: a collected heap
 * rises with allocation and falls at each GC, so only its lows show memory
 * being kept. A trailing partial window is left out (it may not hold a GC).
 */
export function windowFloors(values: number[], perWindow: number): number[] {
  const floors: number[] = [];
  for (let i = 0; i + perWindow <= values.length; i += perWindow) floors.push(Math.min(...values.slice(i, i + perWindow)));
  return floors;
}
