import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One function's own instructions in a callgrind profile (not those of the functions it called). */
interface SelfCost {
  /** The ELF object (`/usr/bin/node`, libc) or `???` for code outside any, such as V8's compiled JavaScript. */
  object: string;
  /** The symbol, or `0x…` (the code's address) where the object has none. */
  fn: string;
  instructions: number;
}

/** What the calls from one function to another cost, the callee's callees included. */
interface CallCost {
  object: string;
  fn: string;
  calleeObject: string;
  callee: string;
  instructions: number;
}

export interface CallgrindProfile {
  /** The profiled process's pid (the `pid:` line), which names its `/tmp/perf-<pid>.map`. */
  pid: number;
  /** Instructions executed in all, as callgrind summed them (`summary:`). */
  summary: number;
  costs: SelfCost[];
  calls: CallCost[];
}

const NAMED = /^\((\d+)\)(?: (.*))?$/;

/**
 * Reads a callgrind output file (`--tool=callgrind`, the default event Ir)
 * into each function's self cost and each caller-callee pair's cost. The
 * format (valgrind's "Callgrind Format Specification") compresses names as
 * `(id) name` once and `(id)` after; a cost line gives `position cost`, and
 * the one right after `calls=` is the callee's inclusive cost, which is the
 * callee's and not the caller's (`cob=` and `cfn=` before it name the callee).
 */
export async function readCallgrind(path: string): Promise<CallgrindProfile> {
  const names = { ob: new Map<string, string>(), fn: new Map<string, string>() };
  const name = (kind: 'ob' | 'fn', value: string): string => {
    const match = NAMED.exec(value);
    if (match === null) return value;
    if (match[2] !== undefined) names[kind].set(match[1]!, match[2]);
    return names[kind].get(match[1]!) ?? `(${match[1]})`;
  };
  const self = new Map<string, SelfCost>();
  const calls = new Map<string, CallCost>();
  let object = '';
  let fn = '';
  let current: SelfCost | undefined;
  let callCost = false;
  let calleeObject: string | undefined;
  let callee = '';
  let pid = 0;
  let summary = 0;
  // Each cost line starts with one number per position kind (`positions: line`, or `instr line`).
  let positions = 1;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    const first = line.charCodeAt(0);
    if ((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2a) {
      const fields = line.split(' ', positions + 1);
      if (callCost) {
        callCost = false;
        if (fields.length <= positions) continue;
        const target = calleeObject ?? object;
        const key = `${object}\0${fn}\0${target}\0${callee}`;
        const known = calls.get(key);
        if (known === undefined) calls.set(key, { object, fn, calleeObject: target, callee, instructions: Number(fields[positions]) });
        else known.instructions += Number(fields[positions]);
        calleeObject = undefined;
        continue;
      }
      if (fields.length <= positions) continue;
      if (current === undefined) {
        const key = `${object}\0${fn}`;
        current = self.get(key);
        if (current === undefined) self.set(key, (current = { object, fn, instructions: 0 }));
      }
      current.instructions += Number(fields[positions]);
    } else if (line.startsWith('fn=')) {
      fn = name('fn', line.slice(3));
      current = undefined;
    } else if (line.startsWith('ob=')) {
      object = name('ob', line.slice(3));
      current = undefined;
    } else if (line.startsWith('cob=')) calleeObject = name('ob', line.slice(4));
    else if (line.startsWith('cfn=')) callee = name('fn', line.slice(4));
    else if (line.startsWith('calls=')) callCost = true;
    else if (line.startsWith('pid: ')) pid = Number(line.slice(5));
    else if (line.startsWith('summary: ')) summary = Number(line.slice(9));
    else if (line.startsWith('positions: ')) positions = line.slice(11).trim().split(/\s+/).length;
  }
  return { pid, summary, costs: [...self.values()], calls: [...calls.values()] };
}
