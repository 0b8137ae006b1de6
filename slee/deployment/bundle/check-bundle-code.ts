import { readFile } from 'node:fs/promises';
import { dirname, extname, relative } from 'node:path';
import { parse, type AnyNode, type Options } from 'acorn';
import { ErrorCode, type SleetErrorCode } from '../../../base/errors/error-codes.js';
import type { ComponentId } from '../../component-model/component-id.js';
import type { BundleDescriptor } from './bundle-descriptor.js';
import { decideRequire, FREE_PROCESS_MEMBERS, processMemberReason } from './bundle-require-policy.js';
import { resolveBundleModule } from './resolve-bundle-module.js';

/** One reason a bundle is refused, with its SLEET_ERR code. */
export interface BundleProblem {
  readonly code: SleetErrorCode;
  readonly reason: string;
}

function idText(id: ComponentId): string {
  return `${id.name}/${id.vendor}/${id.version}`;
}

/** Every module the descriptor names, with what names it. */
function entryModules(d: BundleDescriptor): Array<{ what: string; module: string }> {
  const c = d.components;
  return [
    ...c.services.map((e) => ({ what: `service ${idText(e)}`, module: e.module })),
    ...c.sbbs.map((e) => ({ what: `SBB ${idText(e)}`, module: e.module })),
    ...c.eventTypes.map((e) => ({ what: `event type ${idText(e)}`, module: e.module })),
    ...c.profileSpecs.map((e) => ({ what: `profile specification ${idText(e)}`, module: e.module })),
    ...c.raTypes.map((e) => ({ what: `resource-adaptor type ${idText(e)}`, module: e.module })),
    ...c.libraries.flatMap((l) => l.modules.map((module) => ({ what: `library ${idText(l)}`, module }))),
  ];
}

/** CommonJS as Node.js wraps it: a top-level `return` is allowed, and an `import` or `export` parses so that it can be named. */
const PARSE_OPTIONS: Options = {
  ecmaVersion: 'latest',
  sourceType: 'script',
  allowReturnOutsideFunction: true,
  allowImportExportEverywhere: true,
  allowHashBang: true,
};

/** A string literal, or a template literal without substitutions, as its text; otherwise undefined. */
function constantText(node: AnyNode | undefined): string | undefined {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** Calls `visit` on `root` and every node below it, in source order; with a stack of its own, so no nesting depth overflows the call stack. */
function walk(root: AnyNode, visit: (node: AnyNode) => void): void {
  const stack: AnyNode[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    visit(node);
    const children: AnyNode[] = [];
    for (const value of Object.values(node) as unknown[]) {
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) children.push(item);
      } else if (isNode(value)) children.push(value);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * Reads a bundle's code without running any of it: every module the
 * descriptor names must be a file in the bundle, and every module they
 * reach is parsed for `require`s and `process` members the descriptor's
 * permissions do not allow. Returns every problem found, in file order.
 * `require` with a computed argument cannot be seen here; the loader's
 * require applies the same policy when it runs. The parser is acorn, not
 * the SDK's TypeScript compiler: a node that deploys a bundle must not
 * keep the compiler's 30 MiB in the heap every full collection marks.
 */
export async function checkBundleCode(root: string, descriptor: BundleDescriptor): Promise<BundleProblem[]> {
  const problems: BundleProblem[] = [];
  const queue: string[] = [];
  const seen = new Set<string>();
  const enqueue = (file: string) => {
    if (!seen.has(file) && extname(file) !== '.json') queue.push(file);
    seen.add(file);
  };
  for (const { what, module } of entryModules(descriptor)) {
    const file = resolveBundleModule(root, root, `./${module}`);
    if (file === 'missing' || file === 'outside') problems.push({ code: ErrorCode.BUNDLE_INVALID, reason: `${what}: module ${module} is not in the bundle` });
    else enqueue(file);
  }
  for (let i = 0; i < queue.length; i++) {
    const path = queue[i]!;
    const file = relative(root, path).split('\\').join('/');
    const reasons = new Map<string, SleetErrorCode>();
    const refuse = (code: SleetErrorCode, reason: string) => reasons.set(reason, code);
    const required = (specifier: string) => {
      const decision = decideRequire(file, specifier, descriptor.permissions);
      if (decision.kind === 'refused') refuse(decision.code, decision.reason);
      if (decision.kind !== 'bundle') return;
      const target = resolveBundleModule(root, dirname(path), specifier);
      if (target === 'missing' || target === 'outside') refuse(ErrorCode.BUNDLE_INVALID, `${file} requires '${specifier}', which is not in the bundle`);
      else enqueue(target);
    };
    let program: AnyNode;
    try {
      program = parse(await readFile(path, 'utf8'), PARSE_OPTIONS);
    } catch (err) {
      problems.push({ code: ErrorCode.BUNDLE_INVALID, reason: `${file} is not valid JavaScript: ${(err as Error).message}` });
      continue;
    }
    walk(program, (node) => {
      if (
        node.type === 'ImportDeclaration' ||
        node.type === 'ExportNamedDeclaration' ||
        node.type === 'ExportAllDeclaration' ||
        node.type === 'ExportDefaultDeclaration'
      ) {
        refuse(ErrorCode.BUNDLE_INVALID, `${file} is an ES module; bundle modules are CommonJS (sleet-sdk build emits them)`);
      } else if (node.type === 'CallExpression' && node.arguments.length === 1 && node.callee.type === 'Identifier' && node.callee.name === 'require') {
        const specifier = constantText(node.arguments[0]);
        if (specifier !== undefined) required(specifier);
      } else if (node.type === 'ImportExpression') {
        const specifier = constantText(node.source);
        if (specifier !== undefined) required(specifier);
      } else if (node.type === 'MemberExpression' && !node.computed && node.object.type === 'Identifier' && node.object.name === 'process') {
        const member = node.property.type === 'Identifier' ? node.property.name : undefined;
        if (member !== undefined && !descriptor.permissions.builtins.includes('process') && !FREE_PROCESS_MEMBERS.has(member)) {
          refuse(ErrorCode.BUNDLE_PERMISSION, processMemberReason(file, member));
        }
      }
    });
    for (const [reason, code] of reasons) problems.push({ code, reason });
  }
  return problems;
}
