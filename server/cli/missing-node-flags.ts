/**
 * Flags `sleet start` wants on node's own command line. V8 reads them when it
 * sets up its heap, so neither `v8.setFlagsFromString` nor NODE_OPTIONS can
 * give them later.
 *
 * `--no-memory-reducer`: after about a minute without allocation, V8's memory
 * reducer compacts the heap down to what is live and lowers its limits. The
 * first seconds of the next burst then run back-to-back collections, and a
 * node offered 900 calls/s after a quiet minute held INVITEs for seconds
 * (docs/performance.md, "A quiet minute, then a burst").
 */
const NODE_FLAGS: ReadonlyArray<{ flag: string; on: RegExp; off: RegExp }> = [
  { flag: '--no-memory-reducer', on: /^--(no-memory[-_]reducer|memory[-_]reducer=false)$/, off: /^--memory[-_]reducer(=true)?$/ },
];

/** The flags of NODE_FLAGS that `execArgv` lacks, or undoes later on the line (V8 takes a flag's last setting). */
export function missingNodeFlags(execArgv: readonly string[]): string[] {
  return NODE_FLAGS.filter(({ on, off }) => !on.test(execArgv.findLast((arg) => on.test(arg) || off.test(arg)) ?? '')).map(({ flag }) => flag);
}
