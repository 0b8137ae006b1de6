import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCallgrind } from './callgrind-profile.js';
import { INSTRUCTION_PARTS, instructionPart, type InstructionPart } from './instruction-part.js';
import { PerfMap } from './perf-map.js';

export interface InstructionCount {
  /** Every instruction the process ran, as callgrind summed it. */
  summary: number;
  parts: Record<InstructionPart, number>;
  /** Self instructions by function: compiled JavaScript by its map name (tier mark, name, file:line), the rest by symbol. */
  functions: Map<string, { part: InstructionPart; instructions: number }>;
  /** For each function named by `callersOf`, what the calls to it from each caller cost, its own callees included. */
  callers: Map<string, Map<string, number>>;
  /** What the program printed on stdout. */
  stdout: string;
}

/**
 * `JS:*f file:///…/dist/x.js:1:2` → `*f x.js:1`: the same function has the same name in two builds' runs.
 * V8 12 marks context-specialised code with a quote after the tier (`*'f`); it is the same function.
 */
function shortName(name: string): string {
  return name
    .replace(/^JS:([*+^~])'/, '$1')
    .replace(/^JS:/, '')
    .replace(/file:\/\/\S*?\/dist\//, '')
    .replace(/\/tmp\/sleet-[^/]+\/units\//, '')
    .replace(/:\d+$/, '');
}

/**
 * Runs `node <args>` under `valgrind --tool=callgrind` with V8's code map
 * on (`--perf-basic-prof`, code kept in place), and splits the
 * instructions it ran by part and by function. Instruction counts are the
 * same for the same binary, inputs and environment whatever else the
 * machine runs, so two counts of one build differ only by what the program
 * itself does differently.
 */
export async function countUnderCallgrind(args: string[], options: { node?: string; timeoutMs: number; callersOf?: RegExp }): Promise<InstructionCount> {
  const dir = await mkdtemp(join(tmpdir(), 'sleet-count-'));
  const out = join(dir, 'callgrind.out');
  try {
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      execFile(
        'valgrind',
        // The map names code where it was made, and `--perf-basic-prof` does not log moves: without code-space
        // compaction no code moves, so no address takes the name of code that was elsewhere.
        ['--tool=callgrind', `--callgrind-out-file=${out}`, options.node ?? process.execPath, '--perf-basic-prof', '--no-compact-code-space', ...args],
        { timeout: options.timeoutMs, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`valgrind node ${args.join(' ')}: ${err.message}\n${stderr.split('\n').slice(-20).join('\n')}`));
          else resolve({ stdout });
        },
      );
    });
    const profile = await readCallgrind(out);
    const mapFile = `/tmp/perf-${profile.pid}.map`;
    const map = PerfMap.read(mapFile);
    await rm(mapFile, { force: true });
    const named = (object: string, fn: string): { name: string; part: InstructionPart } => {
      const jsName = object === '???' && fn.startsWith('0x') ? map.nameAt(parseInt(fn, 16)) : undefined;
      // callgrind marks a function's recursion levels (`f'2`); they are one function here.
      const name = jsName !== undefined ? shortName(jsName) : object === '???' ? 'other generated code' : fn.replace(/'\d+$/, '');
      return { name, part: instructionPart(object, fn, jsName) };
    };
    const parts = Object.fromEntries(INSTRUCTION_PARTS.map((part) => [part, 0])) as Record<InstructionPart, number>;
    const functions: InstructionCount['functions'] = new Map();
    for (const cost of profile.costs) {
      const { name, part } = named(cost.object, cost.fn);
      parts[part] += cost.instructions;
      const known = functions.get(name);
      if (known === undefined) functions.set(name, { part, instructions: cost.instructions });
      else known.instructions += cost.instructions;
    }
    const callers: InstructionCount['callers'] = new Map();
    if (options.callersOf !== undefined) {
      for (const call of profile.calls) {
        const callee = named(call.calleeObject, call.callee).name;
        if (!options.callersOf.test(callee)) continue;
        const caller = named(call.object, call.fn).name;
        // A function calling itself is already in its callers' cost.
        if (caller === callee) continue;
        const byCaller = callers.get(callee) ?? new Map<string, number>();
        byCaller.set(caller, (byCaller.get(caller) ?? 0) + call.instructions);
        callers.set(callee, byCaller);
      }
    }
    return { summary: profile.summary, parts, functions, callers, stdout: stdout.trim() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
