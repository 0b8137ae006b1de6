import { basename } from 'node:path';

/** Where an instruction ran, as the counts in docs/performance.md are split. */
export const INSTRUCTION_PARTS = [
  'TurboFan code',
  'Maglev code',
  'Sparkplug code',
  // Regular expressions, stubs, and code the map does not name.
  'other generated code',
  "V8's builtins",
  'the collectors',
  "V8's compilers and parser",
  "V8's runtime and Node's C++",
  'libc',
  'other libraries',
] as const;

export type InstructionPart = (typeof INSTRUCTION_PARTS)[number];

const TIERS: Record<string, InstructionPart> = {
  '*': 'TurboFan code',
  '+': 'Maglev code',
  '^': 'Sparkplug code',
};

// By symbol name: V8 names its collectors' and compilers' classes and namespaces consistently across releases.
const COLLECTOR =
  /Scaveng|MarkCompact|Marking|IterateObjectCache|Heap::OnMoveEvent|Sweeper|Evacuat|GCTracer|RememberedSet|SlotSet|PointersUpdating|HeapObject::SizeFromMap|cppgc::|MemoryReducer|Heap::(?:CollectGarbage|PerformGarbageCollection|GarbageCollection|IterateRoots|Iterate)|CollectionBarrier|EphemeronHashTable|WeakObjects|ObjectVisitor/;
const COMPILER =
  /::(?:compiler|maglev|baseline|interpreter)::|Parser|Scanner|AstValueFactory|::Ast[A-Z]|Compiler::|::Zone::|Assembler|RegExpCompiler|Utf16CharacterStream|OptimizingCompile|CodeGenerator|DeclarationScope|::Scope::|FuncNameInferrer|PreParse/;

/**
 * The part of the machine a function's instructions belong to: compiled
 * JavaScript by tier (named from `node --perf-basic-prof`'s map, `jsName`),
 * V8's builtins (`Builtins_*` in the node binary), its collectors and its
 * compilers by symbol name, the rest of the binary, libc and other libraries.
 */
export function instructionPart(object: string, fn: string, jsName: string | undefined): InstructionPart {
  if (object === '???') return (jsName?.startsWith('JS:') ? TIERS[jsName.charAt(3)] : undefined) ?? 'other generated code';
  if (basename(object) === 'node') {
    if (fn.startsWith('Builtins_')) return "V8's builtins";
    if (COLLECTOR.test(fn)) return 'the collectors';
    if (COMPILER.test(fn)) return "V8's compilers and parser";
    return "V8's runtime and Node's C++";
  }
  return /\/(?:libc|ld-linux[^/]*)\.so/.test(object) ? 'libc' : 'other libraries';
}
