/** How many times `owner[method]` is called while `run` runs: the parsers a read costs, counted rather than timed. */
export function callsDuring<T extends object>(owner: T, method: keyof T & string, run: () => void): number {
  const original = owner[method] as (...args: unknown[]) => unknown;
  let calls = 0;
  (owner as Record<string, unknown>)[method] = (...args: unknown[]) => {
    calls++;
    return original.apply(owner, args);
  };
  try {
    run();
  } finally {
    (owner as Record<string, unknown>)[method] = original;
  }
  return calls;
}
