import type { InstructionCount } from './count-under-callgrind.js';
import { INSTRUCTION_PARTS, type InstructionPart } from './instruction-part.js';

/** Callers listed for each function counted with its callers. */
const CALLERS_SHOWN = 10;

export interface PerCall {
  /** Instructions per call in all and by part. */
  parts: Record<'all' | InstructionPart, number>;
  /** The `top` functions with the most instructions per call, most first. */
  functions: Array<{ name: string; part: InstructionPart; perCall: number }>;
  /** The functions counted with their callers, most per call first: the calls' cost in all and from each of the ten dearest callers. */
  callers: Array<{ callee: string; perCall: number; callers: Array<{ name: string; perCall: number }> }>;
}

/**
 * One call's instructions from two counts of one program, `calls` calls
 * apart: the difference over the calls, so what both runs did once (the
 * node's start, its settling) drops out. Rounded to whole instructions.
 */
export function perCall(small: InstructionCount, large: InstructionCount, calls: number, top: number): PerCall {
  const per = (a: number, b: number) => Math.round((b - a) / calls);
  const parts = { all: per(small.summary, large.summary) } as PerCall['parts'];
  for (const part of INSTRUCTION_PARTS) parts[part] = per(small.parts[part], large.parts[part]);
  const functions = [...large.functions]
    .map(([name, { part, instructions }]) => ({ name, part, perCall: per(small.functions.get(name)?.instructions ?? 0, instructions) }))
    .sort((a, b) => b.perCall - a.perCall)
    .slice(0, top);
  const callers = [...large.callers].map(([callee, byCaller]) => {
    const before = small.callers.get(callee);
    const each = [...byCaller]
      .map(([name, instructions]) => ({ name, perCall: per(before?.get(name) ?? 0, instructions) }))
      .filter((caller) => caller.perCall !== 0)
      .sort((a, b) => b.perCall - a.perCall);
    return { callee, perCall: each.reduce((sum, caller) => sum + caller.perCall, 0), callers: each.slice(0, CALLERS_SHOWN) };
  });
  callers.sort((a, b) => b.perCall - a.perCall);
  return { parts, functions, callers };
}
