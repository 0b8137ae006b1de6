import type { InstructionCount } from './count-under-callgrind.js';
import { INSTRUCTION_PARTS, type InstructionPart } from './instruction-part.js';

export interface PerCall {
  /** Instructions per call in all and by part. */
  parts: Record<'all' | InstructionPart, number>;
  /** The `top` functions with the most instructions per call, most first. */
  functions: Array<{ name: string; part: InstructionPart; perCall: number }>;
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
  return { parts, functions };
}
